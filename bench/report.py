"""Turn the rounds of wrk runs into the endpoints table, JSON and a chart.

The table is for information: absolute figures move with the machine. Its one
target is order placement on PostgreSQL at 16 connections: every order accounted
for (``bench.ledger``), its p99 shown beside the floor view's p99 of the same run.
"""

import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.endpoints import ENDPOINTS, Endpoint
from bench.ledger import Accounting
from bench.wrk import WrkRun


@dataclass(frozen=True)
class Round:
    """One wrk run of one endpoint, and the CPU time the workers spent meanwhile."""

    wrk: WrkRun
    cpu_seconds: float

    @property
    def cpu_ms_per_request(self) -> float:
        if not self.wrk.requests:
            return float("nan")
        return 1000 * self.cpu_seconds / self.wrk.requests


@dataclass(frozen=True)
class Summary:
    """One endpoint on one database: the median of its rounds."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    worst_p99_ms: float
    cpu_ms_per_request: float
    errors: int
    queries: int


def summarize(rounds: list[Round], queries: int) -> Summary:
    runs = [r.wrk for r in rounds]
    return Summary(
        requests_per_second=statistics.median(r.requests_per_second for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        worst_p99_ms=max(r.p99_ms for r in runs),
        cpu_ms_per_request=statistics.median(r.cpu_ms_per_request for r in rounds),
        errors=sum(r.errors for r in runs),
        queries=queries,
    )


@dataclass(frozen=True)
class ProfileResult:
    """Everything measured on one database."""

    name: str
    label: str
    runs: dict[str, list[Round]]
    queries: dict[str, int]
    placements: list[Accounting]
    unbalanced_orders: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    def summaries(self) -> dict[str, Summary]:
        return {
            name: summarize(runs, self.queries[name])
            for name, runs in self.runs.items()
        }

    def endpoints(self) -> list[Endpoint]:
        return [endpoint for endpoint in ENDPOINTS if endpoint.name in self.runs]

    def placement_accounted(self) -> bool:
        """Every order answered is in the database, none twice, none unbalanced,
        and nothing else is but the requests in flight when wrk stopped."""
        return (
            bool(self.placements)
            and self.unbalanced_orders == 0
            and all(placement.accounted for placement in self.placements)
        )

    def placement_line(self) -> str | None:
        """Order placement in one line: its p99 beside the floor's, the ledger."""
        if "place-order" not in self.runs:
            return None
        summaries = self.summaries()
        placed = summaries["place-order"]
        line = f"order placement ({self.label}): p99 {placed.p99_ms:.1f} ms"
        if "floor" in summaries:
            floor = summaries["floor"].p99_ms
            line += (
                f" (the floor's p99 {floor:.1f} ms: "
                f"{divide(placed.p99_ms, floor):.1f} times)"
            )
        answered = sum(p.answered for p in self.placements)
        line += (
            f"; {answered} answered 201, "
            f"{sum(p.written for p in self.placements)} written, "
            f"{sum(p.unanswered for p in self.placements)} in flight at the stop, "
            f"{sum(p.lost for p in self.placements)} lost, "
            f"{sum(p.duplicated for p in self.placements)} duplicated, "
            f"{self.unbalanced_orders} unbalanced: "
        )
        verdict = "accounted" if self.placement_accounted() else "NOT accounted"
        if self.name == "postgresql":
            verdict = ("PASS " if self.placement_accounted() else "MISS ") + verdict
        return line + verdict


def divide(a: float, b: float) -> float:
    return a / b if b else float("nan")


def targets_met(results: list[ProfileResult]) -> bool:
    """Every order placed on PostgreSQL accounted for (when it was loaded)."""
    return all(
        result.placement_accounted()
        for result in results
        if result.name == "postgresql" and "place-order" in result.runs
    )


def render(results: list[ProfileResult], *, settings: dict) -> str:
    """The endpoints table, as ``make bench endpoints`` prints it."""
    summaries = {result.name: result.summaries() for result in results}
    lines = [
        f"Endpoints, for information: gunicorn with 2 sync workers, wrk with "
        f"{settings['connections']} connections, {settings['rounds']} round(s) of "
        f"{settings['seconds']} s per endpoint; medians of the rounds. cpu ms: the "
        "workers' CPU time per request.",
        "",
    ]
    head = f"{'endpoint':<15}{'queries':>8}"
    rule = f"{'':<23}"
    for result in results:
        head += f"{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'cpu ms':>8}{'err':>5}"
        rule += f"{'  ' + result.label:<38.38}"
    lines += [rule, head + "  what"]
    for endpoint in results[0].endpoints():
        queries = {str(s[endpoint.name].queries) for s in summaries.values()}
        row = f"{endpoint.name:<15}{'/'.join(sorted(queries)):>8}"
        for result in results:
            s = summaries[result.name][endpoint.name]
            if s.requests_per_second:
                row += (
                    f"{s.requests_per_second:>9,.0f}{s.p50_ms:>8.1f}{s.p99_ms:>8.1f}"
                    f"{s.cpu_ms_per_request:>8.2f}"
                )
            else:  # nothing answered within the run (a login can take seconds)
                row += f"{'-':>9}{'-':>8}{'-':>8}{'-':>8}"
            row += f"{s.errors:>5}"
        lines.append(f"{row}  {endpoint.about}")

    lines.append("")
    for result in results:
        line = result.placement_line()
        if line is not None:
            lines.append(line)
    for result in results:
        lines.append(
            f"load average ({result.label}): before {fmt_load(result.load_before)}, "
            f"after {fmt_load(result.load_after)}"
        )
    return "\n".join(lines)


def fmt_load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in load)


def write_json(path: Path, results: list[ProfileResult], *, settings: dict) -> None:
    document = {"settings": settings, "profiles": {}}
    for result in results:
        summaries = result.summaries()
        document["profiles"][result.name] = {
            "label": result.label,
            "load_before": result.load_before,
            "load_after": result.load_after,
            "endpoints": {
                endpoint.name: {
                    "about": endpoint.about,
                    "method": endpoint.method,
                    "path": endpoint.path,
                    **asdict(summaries[endpoint.name]),
                    "rounds": [
                        {
                            **asdict(run.wrk),
                            "requests_per_second": run.wrk.requests_per_second,
                            "cpu_seconds": run.cpu_seconds,
                        }
                        for run in result.runs[endpoint.name]
                    ],
                }
                for endpoint in result.endpoints()
            },
            "placements": [asdict(p) for p in result.placements],
            "placement_accounted": result.placement_accounted(),
            "unbalanced_orders": result.unbalanced_orders,
        }
    path.write_text(json.dumps(document, indent=2))


def write_chart(path: Path, results: list[ProfileResult]) -> None:
    """Requests/s per endpoint as horizontal bars, one colour per database."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    names = [endpoint.name for endpoint in results[0].endpoints()]
    height = 0.8 / len(results)
    figure, axes = pyplot.subplots(figsize=(10, 0.45 * len(names) + 1.5))
    for index, result in enumerate(results):
        summaries = result.summaries()
        values = [summaries[name].requests_per_second for name in names]
        positions = [row + index * height for row in range(len(names))]
        bars = axes.barh(positions, values, height=height, label=result.label)
        axes.bar_label(bars, labels=[f"{v:,.0f}" for v in values], padding=3)
    axes.set_yticks([row + 0.4 - height / 2 for row in range(len(names))], names)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("requests/s (log scale; median of the rounds)")
    axes.set_title("Delivery: gunicorn, 2 sync workers, wrk at 16 connections")
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
