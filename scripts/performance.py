"""Writes docs/performance.md from what `make bench` measured (target/bench/*.json): each figure
beside its baseline from the same run, the ratio of the medians and the goal, the machine it ran
on, where the time goes, and the figures held to a fixed goal instead.

  python3 scripts/performance.py
"""

import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "target" / "bench"
MIB = 1024 * 1024
BINARY_GOAL_MIB = 25
DEB_GOAL_MIB = 10
# The ratio benches, in the order the table shows them.
RATIO_BENCHES = ["launch", "cli_flow", "list_functions", "zip_folder"]


def load(name: str) -> dict | None:
    path = BENCH / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def number(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value:,.0f} bytes"
    return f"{value:,.0f} {unit}"


def spread(samples: dict, unit: str) -> str:
    if samples["runs"] == 1 or samples["min"] == samples["max"]:
        return number(samples["median"], unit)
    return (f"{number(samples['median'], unit)} ({samples['min']:,.0f} to "
            f"{samples['max']:,.0f}, {samples['runs']} runs)")


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    os_name = "Linux"
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("PRETTY_NAME="):
            os_name = line.split("=", 1)[1].strip('"')
    return (f"{os.cpu_count()} cores ({cpu}), {memory_kib / MIB:.0f} GiB of memory, {os_name}, "
            f"kernel {platform.release()}; the window under Xvfb with WebKitGTK's software "
            "rendering")


def commit() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False).stdout.strip() or "unknown"


def main() -> None:
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`scripts/performance.py`); not edited by hand. Each figure is "
        "Lambdesk's against a baseline measured in the same run, taking turns (A B A B), as the "
        "median and range of the runs, and the ratio of the medians. Lower is better.",
        "",
        f"Measured {datetime.date.today().isoformat()} at commit `{commit()}` on {machine()}.",
        "",
        "| figure | Lambdesk | baseline | baseline's figure | ratio | goal | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    for name in RATIO_BENCHES:
        report = load(name)
        if report is None:
            lines.append(f"| {name} | not run | | | | | |")
            continue
        for figure in report["figures"]:
            unit = figure["unit"]
            goal = figure["goal"]
            if goal is None:
                goal_text, met = "none set", ""
            else:
                goal_text = f"≤ {goal:.2f}×"
                met = "yes" if figure["ratio"] <= goal else "**no**"
            lines.append(
                f"| {figure['figure']} | {spread(figure['lambdesk'], unit)} | "
                f"{figure['baseline']['name']} | {spread(figure['baseline']['samples'], unit)} | "
                f"{figure['ratio']:.3f}× | {goal_text} | {met} |")
        notes += report["notes"]
    lines += ["", "## Where the time goes", ""] + [f"- {note}" for note in notes]

    lines += ["", "## Against a fixed goal", "", "| figure | measured | goal | met |",
              "| --- | --- | --- | --- |"]
    release = load("release")
    if release:
        binary, deb = release["binaryBytes"] / MIB, release["debBytes"] / MIB
        lines += [
            f"| release binary (stripped, fat LTO, optimised for size) | {binary:.1f} MiB | ≤ {BINARY_GOAL_MIB} MiB | "
            f"{'yes' if binary <= BINARY_GOAL_MIB else '**no**'} |",
            f"| `.deb` | {deb:.1f} MiB | ≤ {DEB_GOAL_MIB} MiB | "
            f"{'yes' if deb <= DEB_GOAL_MIB else '**no**'} |",
        ]
    explorer = load("log-explorer")
    if explorer:
        lines.append(f"| log explorer: click to {explorer['lines']:,} lines drawn | "
                     f"{explorer['firstPaintMs']:,.0f} ms | none set | |")
        for filter_run in explorer["filters"]:
            pattern = f"filter `{filter_run['pattern']}`" if filter_run["pattern"] else "no filter"
            lines.append(f"| log explorer: {pattern} ({filter_run['lines']:,} lines) | "
                         f"{filter_run['ms']:,.0f} ms | none set | |")
        for label, run in explorer["scrolling"].items():
            lines.append(f"| log explorer: scrolling {label} | {run['fps']:.1f} frames/s, worst "
                         f"frame {run['worstFrameMs']:.0f} ms | 60 frames/s | "
                         f"{'yes' if run['fps'] >= 59 else '**no**'} |")
    launch = load("launch")
    if launch:
        frames = launch["frames"]
        speeds = launch["scrollSpeeds"]
        for what, baseline, fps_key, worst_key in [
            (f"scrolling the 1,000-function list, {speeds['fast']} px a frame",
             "the bare app scrolling an empty page as tall", "fastFps", "fastWorstMs"),
            (f"scrolling the 1,000-function list, {speeds['flick']} px a frame",
             "the bare app scrolling an empty page as tall", "flickFps", "flickWorstMs"),
            (f"filtering the 1,000-function list, typing and erasing `{launch['filterKeys']}` a key a frame, "
             f"{launch['filterPasses']} times",
             "the bare app's idle window", "filterFps", "filterWorstMs"),
        ]:
            ours, bare = frames[fps_key]["lambdesk"], frames[fps_key]["bare"]
            software = frames[fps_key].get("bareSoftware")
            drawn_alike = (f"; drawing as Lambdesk does, without accelerated compositing: "
                           f"{software['median']:.0f} frames/s" if software else "")
            lines.append(f"| {what} | {spread(ours, 'frames/s')}, worst frame "
                         f"{frames[worst_key]['lambdesk']['median']:.0f} ms ({baseline}: "
                         f"{bare['median']:.0f} frames/s{drawn_alike}) | 60 frames/s | "
                         f"{'yes' if ours['median'] >= 59 else '**no**'} |")
    if release:
        lines.append(f"| app and its WebKit processes with a two-function list (PSS) | "
                     f"{release['functionListPssKiB'] / 1024:.1f} MiB | none set (the 1,000-function figure is against the bare app above) | |")

    out = ROOT / "docs" / "performance.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"performance: wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
