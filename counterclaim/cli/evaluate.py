"""`counterclaim eval ...`: measure against gold data."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Measure counterclaim against gold data.")


@app.command("attribution")
def attribution(
    polnear: Path = typer.Option(..., "--polnear", help="A PolNeAR folder holding text/ and attributions/ (e.g. .../polnear/dev)."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Write the contract's article lines here."),
    limit: Optional[int] = typer.Option(None, help="Only the first N documents."),
    agree: bool = typer.Option(False, "--agreement", help="Also score the annotators against one another on the "
                               "texts several of them did: how far people agree on this corpus."),
):
    """Precision, recall and F1 for cue, source and content spans (exact and overlap) and whole attributions."""
    from ..evaluate.polnear import Scores, against_each_annotator, agreement, read, relations_of, score_document
    from ..ingest import make_article
    from ..pipeline import analyze_many
    from .main import err, out

    if not (polnear / "text").is_dir() or not (polnear / "attributions").is_dir():
        err.print(f"[red]error:[/] {polnear} has no text/ and attributions/ folders")
        raise typer.Exit(2)
    docs = list(read(polnear))[:limit]
    articles = []
    for d in docs:
        a = make_article(d.text, id=d.name)
        a.language, a.warnings = "en", []  # PolNeAR is English news; no short text is skipped
        articles.append(a)
    scores = Scores()
    predicted = {}
    sink = predictions.open("w", encoding="utf-8") if predictions else None
    for d, analysis in zip(docs, analyze_many(articles)):
        _warn(analysis)  # a document the pipeline fails on scores as one with nothing found
        predicted[d.name] = relations_of(analysis)
        score_document(d.text, d.relations, predicted[d.name], scores)
        if sink:
            sink.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
    if sink:
        sink.close()
    out.print(_span_table(f"PolNeAR attribution, {scores.documents} documents ({polnear})", scores))
    if agree:
        humans = agreement(polnear)
        if humans.documents:
            out.print(_span_table(f"Annotators against one another, {humans.documents} ordered pairs of annotations of the "
                                  "texts that several annotators did", humans))
            machine = against_each_annotator(polnear, predicted)
            out.print(_span_table(f"The extractor against each annotator of those texts, {machine.documents} annotations",
                                  machine))
        else:
            out.print("no text in this folder was annotated by more than one annotator")


def _span_table(title: str, scores) -> Table:
    table = Table(title=title)
    for col in ("", "precision", "recall", "F1", "predicted", "gold"):
        table.add_column(col, justify="right" if col else "left")
    for name, p, r, f, n_pred, n_gold in scores.table():
        table.add_row(name, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", str(n_pred), str(n_gold))
    return table


@app.command("events")
def events(plover: Path = typer.Option(..., "--plover", help="PLOVER gold records (JSON array), e.g. PLOVER_GSR_CAMEO.txt.")):
    """Event-type accuracy and macro-F1 (with a confusion table) and actor-country accuracy."""
    from ..evaluate.plover import evaluate, read
    from .main import err, out

    try:
        records = read(plover)
    except (OSError, ValueError) as e:
        err.print(f"[red]error:[/] cannot read {plover}: {e}")
        raise typer.Exit(2)
    scores = evaluate(records)
    out.print(f"{len(scores.gold)} records: event-type accuracy {scores.accuracy:.3f}, macro-F1 {scores.macro_f1:.3f}; "
              f"actor-country accuracy {scores.actor_accuracy:.3f} ({scores.actor_total} records with a coded source)")
    labels = sorted(set(scores.gold) | set(scores.pred))
    table = Table(title="confusion (rows: gold, columns: coded)")
    table.add_column("gold")
    for label in labels:
        table.add_column(label[:6], justify="right")
    table.add_column("F1", justify="right")
    conf = scores.confusion()
    for g in sorted(set(scores.gold)):
        table.add_row(g, *[str(conf.get((g, p), "")) for p in labels], f"{scores.f1(g):.2f}")
    out.print(table)


@app.command("stance")
def stance(
    fnc_bodies: Optional[Path] = typer.Option(None, "--fnc-bodies", help="FNC-1 (or FNC-ARC) bodies CSV (Body ID, articleBody)."),
    fnc_stances: Optional[Path] = typer.Option(None, "--fnc-stances", help="FNC-1 (or FNC-ARC) stances CSV (Headline, Body ID, Stance)."),
    stories: Optional[str] = typer.Option(None, "--stories", help="FNC: only the claims of the dev stories (dev: the claim-disjoint split the shipped model was chosen on), or of the training stories (train)."),
    body_ids: Optional[Path] = typer.Option(None, "--body-ids", help="FNC: only the pairs whose Body ID is listed here (e.g. fnc-1/dev_body_ids.txt, the usual split, which shares claims with training)."),
    emergent: Optional[Path] = typer.Option(None, "--emergent", help="Emergent CSV (claimHeadline, articleHeadline, articleHeadlineStance): the shipped headline model on its rows."),
    cv: bool = typer.Option(False, "--cv", help="Emergent: cross-validate by claim on the rows instead (trained on the other folds' claims each time)."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Write the input's rows plus a Predicted column here."),
    text_only: bool = typer.Option(False, "--text-only", help="FNC: the body model without the articles' attributions and claims (faster: no parse)."),
    folds: int = typer.Option(10, "--folds", min=2, help="Emergent --cv: folds of the cross-validation by claim."),
):
    """FNC-1 layout: FNC score, relative score, accuracy, macro-F1, per-class F1 and confusion, for the labels
    `counterclaim stance` gives. Emergent (claim vs article headline): the shipped headline model, or with
    --cv the model cross-validated by claim, with accuracy, macro-F1, per-class F1 and confusion."""
    from ..evaluate.stance import EMERGENT_LABELS, FNC_LABELS, read_emergent, read_fnc, report, story_folds, write_predictions
    from .main import err, out

    if (fnc_bodies is None) != (fnc_stances is None) or (fnc_bodies is None) == (emergent is None):
        err.print("[red]error:[/] give --fnc-bodies with --fnc-stances, or --emergent")
        raise typer.Exit(2)
    if stories not in (None, "dev", "train"):
        err.print("[red]error:[/] --stories is dev or train")
        raise typer.Exit(2)
    try:
        pairs = read_fnc(fnc_bodies, fnc_stances) if fnc_bodies else read_emergent(emergent)
        if stories:
            folds_of = story_folds(pairs)
            if stories == "dev":
                pairs = [p for p, (h, _) in zip(pairs, folds_of) if h == 0]
            else:
                pairs = [p for p, (h, b) in zip(pairs, folds_of) if h != 0 and b != 0]
        if body_ids:
            keep = set(body_ids.read_text().split())
            pairs = [p for p in pairs if p.group in keep]
    except (OSError, KeyError, ValueError) as e:
        err.print(f"[red]error:[/] cannot read the stance file(s): {e}")
        raise typer.Exit(2)
    labels = FNC_LABELS if fnc_bodies else EMERGENT_LABELS
    unknown = {p.label for p in pairs} - set(labels)
    if unknown:
        err.print(f"[red]error:[/] gold labels {sorted(unknown)} are not {', '.join(labels)}")
        raise typer.Exit(2)
    if not pairs:
        err.print("[red]error:[/] no pairs to score")
        raise typer.Exit(1)
    if emergent:
        from ..stance import classifier, headline

        if cv:
            pred = headline.cross_validate(classifier.load(), pairs, folds)
        else:
            pred = headline.load().labels_of(headline.matrix(classifier.load(), pairs))
    else:
        pred = _predict_stances(pairs, text_only)
    if predictions:
        write_predictions(pairs, pred, predictions)
    r = report([p.label for p in pairs], pred, labels)
    head = f"{r['n']} pairs: accuracy {r['accuracy']:.4f}, macro-F1 {r['macro_f1']:.4f}"
    if "fnc_score" in r:
        head += f"; FNC score {r['fnc_score']:.2f} of {r['fnc_max']:.2f} (relative {r['fnc_relative']:.4f})"
    out.print(head)
    table = Table(title="confusion (rows: gold, columns: predicted)")
    table.add_column("gold")
    for label in labels:
        table.add_column(label, justify="right")
    table.add_column("F1", justify="right")
    for g in labels:
        table.add_row(g, *[str(r["confusion"][g][p]) for p in labels], f"{r['f1'][g]:.3f}")
    out.print(table)


def _warn(analysis):
    """Tell an article the pipeline failed on, in one line; evaluation goes on, scoring it as found empty."""
    from .main import err

    if analysis.failure is not None:
        err.print(f"[yellow]warning:[/] {analysis.failure.line()}", highlight=False, soft_wrap=True)
    return analysis


def _predict_stances(pairs, text_only: bool) -> list[str]:
    """The label `counterclaim stance` gives each pair (each body analysed once)."""
    from functools import partial

    from rich.progress import track

    from ..ingest import make_article
    from ..models import Analysis
    from ..pipeline import analyze_many
    from ..stance import stance
    from .main import err

    track = partial(track, console=err)  # progress on stderr: stdout carries the figures
    bodies = list(dict.fromkeys(p.body for p in pairs))
    if text_only:
        analyses = {b: Analysis(make_article(b), [], [], []) for b in bodies}
    else:
        articles = []
        for b in bodies:
            a = make_article(b)
            a.language, a.warnings = "en", []
            articles.append(a)
        analyses = dict(zip(bodies, track(map(_warn, analyze_many(articles)), total=len(articles),
                                          description="analysing bodies")))
    # Sorted by claim: the model encodes a claim once for the run of bodies it is read against.
    order = sorted(range(len(pairs)), key=lambda i: pairs[i].headline)
    pred = [""] * len(pairs)
    for i in track(order, description="stance"):
        pred[i] = stance(pairs[i].headline, analyses[pairs[i].body], text_only=text_only).label
    return pred


def _thread_bodies(text: dict[str, str], chosen: set[str], db: Optional[Path], workers: int):
    """Analyse and link the chosen FNC-1 bodies as one store (a store at `db` already holding them is read as
    it is): (body id -> its shown threads, thread -> status, the shown threads' records)."""
    import tempfile

    from ..evaluate.threads import threads_of_bodies
    from ..flow import ingest
    from ..ingest import make_article
    from ..settings import Settings
    from ..store.db import Store
    from .main import err

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(db or Path(tmp) / "fnc.duckdb")
        todo = []
        for b in sorted(chosen, key=int):
            a = make_article(text[b], id=f"fnc-{b}")
            a.language, a.warnings = "en", []
            todo.append(a)
        ingest(todo, store, Settings(workers=workers), full=True,
               on_failure=lambda f: err.print(f"[yellow]warning:[/] {f.line()}", highlight=False, soft_wrap=True))
        found = threads_of_bodies(store)
        status = dict(store.query("SELECT id, status FROM threads"))
        threads = store.threads()
        store.close()
    return found, status, threads


@app.command("threads")
def threads(
    fnc_bodies: Path = typer.Option(..., "--fnc-bodies", help="FNC-1 train_bodies.csv."),
    fnc_stances: Path = typer.Option(..., "--fnc-stances", help="FNC-1 train_stances.csv (gives the stories)."),
    body_ids: Optional[Path] = typer.Option(None, "--body-ids", help="Score these bodies (e.g. dev_body_ids.txt) "
                                            "instead of the held-out stories."),
    part: str = typer.Option("dev", "--stories", help="dev (whole stories held out), train, or all."),
    db: Optional[Path] = typer.Option(None, "--db", help="Keep the store of analysed bodies here (reused if present)."),
    workers: int = typer.Option(0, "--workers", "-w", help="Processes to analyse with (0: one per core)."),
):
    """Article-pair precision, recall and F1 of threads against FNC-1 stories ("share a thread" vs "same
    story"), the share of bodies in any thread, and per story the share held by its largest thread."""
    from collections import Counter

    from ..evaluate.threads import held_out, score, stories
    from .main import err, out

    text, story = stories(fnc_bodies, fnc_stances)
    if body_ids is not None:
        chosen = set(body_ids.read_text().split()) & text.keys()
        label = f"bodies of {body_ids.name}"
    elif part in ("dev", "train", "all"):
        chosen = {b for b in text if part == "all" or held_out(story[b]) == (part == "dev")}
        label = f"{part} stories"
    else:
        err.print(f"[red]error:[/] --stories must be dev, train or all, not {part!r}")
        raise typer.Exit(2)
    found, _, _ = _thread_bodies(text, chosen, db, workers)
    s = score({b: found.get(b, set()) for b in chosen}, {b: story[b] for b in chosen})
    n_stories = len(s.largest)
    table = Table(title=f"Threads against FNC-1 stories: {label}, {s.bodies} bodies, {n_stories} stories")
    for col in ("pair precision", "pair recall", "pair F1", "bodies in a thread", "largest thread's share (mean)"):
        table.add_column(col, justify="right")
    table.add_row(f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.in_thread:.3f}",
                  f"{sum(s.largest.values()) / max(n_stories, 1):.3f}")
    out.print(table)
    per = Table(title="Per story: bodies, share held by the largest thread")
    per.add_column("story (first body)")
    per.add_column("bodies", justify="right")
    per.add_column("largest thread", justify="right")
    sizes = Counter(story[b] for b in chosen)
    for st, share in sorted(s.largest.items(), key=lambda kv: -sizes[kv[0]]):
        per.add_row(st, str(sizes[st]), f"{share:.2f}")
    out.print(per)


@app.command("status")
def status(
    fnc_bodies: Path = typer.Option(..., "--fnc-bodies", help="FNC-1 train_bodies.csv."),
    fnc_stances: Path = typer.Option(..., "--fnc-stances", help="FNC-1 train_stances.csv (gives the stories)."),
    veracity: Path = typer.Option(..., "--veracity", help="Emergent's train_with_veracity.csv (claimTruth per headline)."),
    part: str = typer.Option("dev", "--stories", help="dev (whole stories held out, as `eval threads`) or train."),
    db: Optional[Path] = typer.Option(None, "--db", help="Keep the store of analysed bodies here (reused if present)."),
    workers: int = typer.Option(0, "--workers", "-w", help="Processes to analyse with (0: one per core)."),
):
    """Thread status against the truth Emergent's editors settled, for the FNC-1 stories whose headlines they
    checked: each story's status is its largest thread's. Prints false claims called confirmed, the precision
    of "confirmed", the share of false claims refuted among those some body disagrees with, lenient accuracy
    (true: confirmed; false: refuted, disputed half; unknown: unverified or disputed) and the confusion."""
    from ..evaluate.status import STATUS_ORDER, TRUTHS, score, story_status, truths
    from ..evaluate.threads import held_out, stories
    from .main import err, out

    if part not in ("dev", "train"):
        err.print(f"[red]error:[/] --stories must be dev or train, not {part!r}")
        raise typer.Exit(2)
    try:
        text, story = stories(fnc_bodies, fnc_stances)
        settled = {s: st for s, st in truths(fnc_stances, veracity, story).items() if held_out(s) == (part == "dev")}
    except (OSError, KeyError, ValueError) as e:
        err.print(f"[red]error:[/] cannot read the FNC-1 or Emergent file(s): {e}")
        raise typer.Exit(2)
    if not settled:
        err.print("[red]error:[/] no story's headline is in the veracity file")
        raise typer.Exit(2)
    chosen = {b for b in text if held_out(story[b]) == (part == "dev")}
    found, status_of, _ = _thread_bodies(text, chosen, db, workers)
    status = story_status(settled, found, status_of)
    s = score(settled, status)
    table = Table(title=f"Thread status against settled truth: {part} stories, {s.stories} with a verdict")
    for col in ("false confirmed", "confirmed right", "false debunked: refuted", "lenient accuracy", "all disputed"):
        table.add_column(col, justify="right")
    table.add_row(str(s.hoaxes_confirmed), f"{s.confirmed_right}/{s.confirmed} ({s.confirmed_precision:.2f})",
                  f"{s.debunked_false_refuted}/{s.debunked_false} ({s.refuted_share:.2f})", f"{s.lenient:.3f}",
                  f"{s.all_disputed:.3f}")
    out.print(table)
    confusion = Table(title="Confusion: settled truth (rows) against thread status (columns)")
    confusion.add_column("truth")
    for st in STATUS_ORDER:
        confusion.add_column(st, justify="right")
    for t in TRUTHS:
        confusion.add_row(t, *(str(s.confusion.get(t, {}).get(st, 0)) for st in STATUS_ORDER))
    out.print(confusion)


@app.command("readable")
def readable(
    fnc_bodies: Path = typer.Option(..., "--fnc-bodies", help="FNC-1 train_bodies.csv: every body, analysed as one store."),
    db: Optional[Path] = typer.Option(None, "--db", help="Keep the store of analysed bodies here (reused if present)."),
    workers: int = typer.Option(0, "--workers", "-w", help="Processes to analyse with (0: one per core)."),
    examples: int = typer.Option(10, "--examples", help="Random examples to print of each kind."),
):
    """Whether threads read to a journalist, over the threads with two or more articles: the share of side
    entries that are no speaker (no name, pronoun-led, sentence-long, a document or thing as head noun:
    counterclaim/evaluate/readable.py) and the share of thread claims that stand alone (a clause with a
    finite verb and a subject free of pronouns), with random examples of each."""
    import csv

    from ..evaluate.readable import measure
    from ..nlp import parse
    from .main import err, out

    try:
        with open(fnc_bodies, encoding="utf-8", newline="") as f:
            text = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    except (OSError, KeyError, ValueError) as e:
        err.print(f"[red]error:[/] cannot read {fnc_bodies}: {e}")
        raise typer.Exit(2)
    _, _, threads = _thread_bodies(text, set(text), db, workers)
    r = measure(threads, parse)
    table = Table(title=f"Readable threads: {r.threads} threads with two or more articles")
    for col in ("side entries", "junk", "junk share", "claims", "stand alone", "share"):
        table.add_column(col, justify="right")
    table.add_row(str(r.entries), str(sum(len(v) for v in r.junk.values())), f"{r.junk_share:.3f}", str(r.claims),
                  str(len(r.alone)), f"{r.alone_share:.3f}")
    out.print(table)
    out.print("junk by rule: " + ", ".join(f"{why} {len(names)}" for why, names in sorted(r.junk.items())))
    for kind, names in r.examples(examples).items():
        out.print(f"[bold]{kind}[/]")
        for n in names:
            out.print(f"  {n}", highlight=False, markup=False)
