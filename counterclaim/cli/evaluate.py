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
):
    """Precision, recall and F1 for cue, source and content spans (exact and overlap) and whole attributions."""
    from ..evaluate.polnear import Scores, read, relations_of, score_document
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
    sink = predictions.open("w", encoding="utf-8") if predictions else None
    for d, analysis in zip(docs, analyze_many(articles)):
        score_document(d.text, d.relations, relations_of(analysis), scores)
        if sink:
            sink.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
    if sink:
        sink.close()
    table = Table(title=f"PolNeAR attribution, {scores.documents} documents ({polnear})")
    for col in ("", "precision", "recall", "F1", "predicted", "gold"):
        table.add_column(col, justify="right" if col else "left")
    for name, p, r, f, n_pred, n_gold in scores.table():
        table.add_row(name, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", str(n_pred), str(n_gold))
    out.print(table)


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
