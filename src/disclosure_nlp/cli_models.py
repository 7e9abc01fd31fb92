"""`train` and `evaluate` commands; `cli.py` adds them to the main app with `register(app)`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .cli_common import fail

from .corpus import CorpusError


def _fail(message: str) -> None:
    raise fail(message)


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_cmd(
        config: Path = typer.Option(..., "--config", help="training config (YAML), e.g. configs/criteria.yaml"),
        quiet: bool = typer.Option(False, "--quiet", help="no progress bars"),
    ) -> None:
        """Train a sentence classifier from a config; writes the model, MODEL_CARD.md and metrics.json."""
        from .classify import ModelError
        from .train import TrainingError, load_config, train_from_config
        from .train_flags import FlagTrainingError, is_flag_config, summary_line, train_flag_model

        import yaml

        try:
            raw = yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else None
        except yaml.YAMLError:
            raw = None
        if is_flag_config(raw):  # red_flags / evidence_status / due_diligence configs
            try:
                m = train_flag_model(config, quiet=quiet)
            except (FlagTrainingError, CorpusError, ModelError) as exc:
                _fail(str(exc))
                return
            typer.echo(f"saved {m['task']}: {summary_line(m)} [{m['train_seconds']:.0f} s]")
            return
        try:
            cfg = load_config(config)
            metrics = train_from_config(cfg, quiet=quiet)
        except (TrainingError, ModelError, CorpusError) as exc:
            _fail(str(exc))
            return
        h = metrics["heldout"]
        typer.echo(
            f"saved {cfg.output} ({metrics['model']['name']}): held-out macro-F1 {h['macro_f1']}, "
            f"9 shared criteria {h['macro_f1_shared_criteria']}, ECE {h['ece']} "
            f"[{metrics['train_seconds']:.0f} s]"
        )
        for ev in metrics["cross_jurisdiction"]:
            typer.echo(f"  {ev['name']}: macro-F1 (9 shared criteria) {ev['macro_f1_shared_criteria']}")

    @app.command("evaluate")
    def evaluate_cmd(
        model: Path = typer.Option(..., "--model", help="model directory, e.g. models/criteria"),
        data: Path = typer.Option(..., "--data", help="AIMS-format CSV or corpus JSONL with gold labels"),
        json_out: Path = typer.Option(None, "--json", help="also write the report as JSON here"),
    ) -> None:
        """Per-label precision/recall/F1 and macro-F1 of a saved model on an annotated file."""
        from .classify import ModelError
        from .evaluate import evaluate_file

        if not model.is_dir():
            _fail(f"model directory not found: {model}")
        try:
            rep = evaluate_file(model, data)
        except (ModelError, CorpusError, ValueError, OSError) as exc:
            _fail(str(exc))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{data.name}: {rep['sentences']} sentences, {rep['documents']} documents")
        for col in ("label", "precision", "recall", "F1", "support", "predicted"):
            table.add_column(col, justify="left" if col == "label" else "right")
        for lab, m in rep["per_label"].items():
            table.add_row(lab, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                          str(m["support"]), str(m["predicted"]))
        console = Console()
        console.print(table)
        console.print(f"macro-F1 (labels with positives): {rep['macro_f1']}   "
                      f"9 shared criteria: {rep['macro_f1_shared_criteria']}   ECE: {rep['ece']}")
        if json_out:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(json.dumps(rep, indent=2) + "\n", encoding="utf-8")
