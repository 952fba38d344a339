"""One article on its way through the stages, as spaCy's Doc goes through its components: the article, its
parse, the actor dictionary as of its date, and what each stage has found so far. Each stage reads the
fields filled before it and fills its own (pipeline.analyze_doc gives the order)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from .actors import Actors, bind
from .models import Analysis, Article, Attribution, Claim, Event, Speaker

if TYPE_CHECKING:
    from .attribution.extract import Found
    from .claims.extract import Proposition


@dataclass
class Reading:
    article: Article
    doc: Doc
    title_doc: Doc | None = None  # the headline's parse, where it has one
    actors: Actors = field(default_factory=Actors)  # the dictionary as of the article's date, bound to `doc`
    found: list[Found] = field(default_factory=list)  # attributions: cue, source, content spans
    speakers: list[Speaker] = field(default_factory=list)  # each attribution's speaker
    props: list[Proposition | None] = field(default_factory=list)  # each attribution's proposition
    claims: dict[str, Claim] = field(default_factory=dict)  # the attributed claims, by id
    claim_of: list[Claim | None] = field(default_factory=list)  # the claim each attribution makes or points to
    outlet: list[Claim] = field(default_factory=list)  # the article's own voice: headline, facts it states
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @classmethod
    def of(cls, article: Article, doc: Doc, title_doc: Doc | None = None) -> "Reading":
        """A reading of a parsed article, the dictionary bound to its parse so a stage reaches it from any
        token (actors.actors_of)."""
        bind(doc, article.published)
        if title_doc is not None:
            bind(title_doc, article.published)
        return cls(article, doc, title_doc, Actors(article.published))

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def analysis(self) -> Analysis:
        return Analysis(self.article, self.attributions, list(self.claims.values()) + self.outlet, self.events)
