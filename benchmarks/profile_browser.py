"""Where chromium's time goes per page run and filter change: one browser session, Chrome DevTools Protocol.

Usage:
    python benchmarks/profile_browser.py --db /tmp/s1.duckdb [--repeat 3] [--settle 1.5] [--out NAME]

One `streamlit run` (tools/devserver.py) and one Debian chromium with the e2e flags, one context, the
same actions as bench_dashboard (click each page in the sidebar, then pick a gemeente and an aanbieder on
Overzicht) and the same end of an action (the in-page script-state log of bench_dashboard). Per action:

- `browser_ms`: click -> notRunning + one frame, as bench_dashboard measures it;
- `Performance.getMetrics` deltas over the action plus --settle seconds (so work that ends after the
  measured end, e.g. a chart drawn asynchronously, is counted): task, script, style recalculation and
  layout time, and the node count after the action;
- the V8 sampling profiler over the same span (Profiler.start/stop, 200 us): self time per script chunk
  of Streamlit's frontend (vega-embed = `embed.*.js`, the Glide data grid = `DataFrame.*.js`, React =
  `react-dom.*.js`, protobuf decoding = `protobuf.*.js`, ...), plus (program) and (garbage collector);
- CPU seconds of every chromium process (/proc) by process type (renderer, gpu-process, browser, utility);
- element counts on the page after the action (DOM nodes, Vega charts, canvases, data grids, widgets).

Round 0 warms the server's caches and the browser's code cache and is not reported. A profiling aid run by
hand, one session only (light on the machine), never a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_dashboard import DONE_JS, INIT_JS, PAGES, READY_JS  # noqa: E402
from benchmarks.machine import descendant_cpu, load1  # noqa: E402
from tools import devserver  # noqa: E402

# Streamlit frontend chunks -> what they hold (the rest is reported by file name)
CHUNKS = {
    "embed": "vega (vega-embed, vega, vega-lite)",
    "vega-interpreter": "vega expression interpreter",
    "ArrowVegaLiteChart": "Streamlit Vega element",
    "DataFrame": "Glide data grid (st.dataframe)",
    "arrowFormatUtils": "Arrow decoding/formatting",
    "react-dom": "React (react-dom)",
    "protobuf": "protobuf decoding",
    "index": "Streamlit app core (index)",
}

COUNT_JS = """
() => {
  const q = (s) => document.querySelectorAll(s).length;
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  return {
    dom_nodes: document.getElementsByTagName('*').length,
    main_nodes: main.getElementsByTagName('*').length,
    element_containers: q('[data-testid="stElementContainer"]'),
    vega_charts: q('[data-testid="stVegaLiteChart"]'),
    canvases: q('[data-testid="stVegaLiteChart"] canvas'),
    vega_svg_nodes: q('[data-testid="stVegaLiteChart"] svg *'),
    dataframes: q('[data-testid="stDataFrame"]'),
    buttons: q('button'),
    markdown: q('[data-testid="stMarkdown"]'),
    metrics: q('[data-testid="stMetric"]'),
    style_sheets: document.styleSheets.length,
  };
}
"""

METRICS = (
    "TaskDuration",
    "ScriptDuration",
    "RecalcStyleDuration",
    "LayoutDuration",
    "RecalcStyleCount",
    "LayoutCount",
    "Nodes",
    "JSHeapUsedSize",
)


def chromium_cpu() -> dict[str, float]:
    """CPU seconds of this process's chromium descendants by process type."""
    out: dict[str, float] = defaultdict(float)
    for cmd, cpu in descendant_cpu().values():
        if not cmd or b"chromium" not in cmd[0]:
            continue
        kind = next((c.split(b"=", 1)[1].decode() for c in cmd if c.startswith(b"--type=")), "browser")
        out[kind] += cpu
    return dict(out)


def chunk_name(url: str) -> str:
    if not url:
        return ""
    base = url.rsplit("/", 1)[-1].split("?")[0]
    stem = base.split(".")[0]
    return CHUNKS.get(stem, base)


def profile_self_ms(profile: dict) -> tuple[dict[str, float], dict[str, float]]:
    """Self time per chunk and per (chunk, function) from a V8 CPU profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    hits: dict[int, float] = defaultdict(float)
    for node_id, dt in zip(profile.get("samples", []), profile.get("timeDeltas", []), strict=False):
        hits[node_id] += dt / 1000.0
    per_chunk: dict[str, float] = defaultdict(float)
    per_fn: dict[str, float] = defaultdict(float)
    for node_id, ms in hits.items():
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        chunk = chunk_name(frame.get("url", "")) or (name if name.startswith("(") else "(native/other)")
        per_chunk[chunk] += ms
        per_fn[f"{chunk} :: {name}:{frame.get('lineNumber', 0)}:{frame.get('columnNumber', 0)}"] += ms
    return dict(per_chunk), dict(per_fn)


TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "toplevel",
    "blink",
    "v8",
]


def trace_self_ms(raw: bytes) -> dict[str, dict[str, float]]:
    """Self time (ms) per trace event name, per thread name, of the complete events in a chromium trace."""
    data = json.loads(raw)
    events = data["traceEvents"] if isinstance(data, dict) else data
    names: dict[tuple[int, int], str] = {}
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "thread_name":
            names[(e["pid"], e["tid"])] = e["args"]["name"]
    spans: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            spans[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"], e["name"]))
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key, rows in spans.items():
        thread = names.get(key, str(key))
        rows.sort(key=lambda r: (r[0], -r[1]))
        stack: list[list] = []  # [end, name, child time]
        for start, end, name in rows:
            while stack and stack[-1][0] <= start:
                top = stack.pop()
                out[thread][top[1]] += (top[0] - top[3] - top[2]) / 1000.0
            if stack:
                stack[-1][2] += end - start
            stack.append([end, name, 0.0, start])
        while stack:
            top = stack.pop()
            out[thread][top[1]] += (top[0] - top[3] - top[2]) / 1000.0
    return {
        t: dict(sorted(((n, round(v, 1)) for n, v in d.items()), key=lambda kv: -kv[1])[:20])
        for t, d in out.items()
    }


async def metrics(cdp) -> dict[str, float]:
    got = await cdp.send("Performance.getMetrics")
    return {m["name"]: m["value"] for m in got["metrics"] if m["name"] in METRICS}


async def run(url: str, repeat: int, settle: float, timeout_ms: int, trace: bool, js_profile: bool) -> dict:
    from playwright.async_api import async_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium ontbreekt (scripts/setup.sh --browser); nooit `playwright install`")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=devserver.CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        await page.add_init_script(INIT_JS)
        cdp = await context.new_cdp_session(page)
        await cdp.send("Performance.enable")
        await cdp.send("Profiler.enable")
        await cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        await page.goto(url + "/")
        await page.wait_for_function(READY_JS, timeout=timeout_ms, polling=50)
        await asyncio.sleep(1.0)

        results: list[dict] = []

        async def measure(action: str, target: str, rnd: int, locator) -> None:
            await locator.wait_for(state="visible", timeout=timeout_ms)
            await asyncio.sleep(0.3)
            before, cpu0 = await metrics(cdp), chromium_cpu()
            tracing = trace and rnd == 1
            if tracing:
                await browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
            if js_profile:
                await cdp.send("Profiler.start")
            await page.evaluate("window.__kmArm()")
            await locator.click(timeout=timeout_ms)
            handle = await page.wait_for_function(DONE_JS, timeout=timeout_ms, polling=20)
            click, _done, painted, how = await handle.json_value()
            await asyncio.sleep(settle)
            prof = (await cdp.send("Profiler.stop"))["profile"] if js_profile else {"nodes": []}
            traced = trace_self_ms(await browser.stop_tracing()) if tracing else None
            after, cpu1 = await metrics(cdp), chromium_cpu()
            counts = await page.evaluate(COUNT_JS)
            if rnd == 0:
                return
            per_chunk, per_fn = profile_self_ms(prof)
            results.append(
                {
                    "round": rnd,
                    "action": action,
                    "target": target,
                    "browser_ms": round(painted - click, 1),
                    "end_by": how,
                    "metrics_ms": {
                        k: round((after[k] - before[k]) * 1000, 1)
                        for k in ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration")
                    },
                    "counts_delta": {
                        k: int(after[k] - before[k]) for k in ("RecalcStyleCount", "LayoutCount", "Nodes")
                    },
                    "cpu_ms": {k: round((cpu1.get(k, 0) - cpu0.get(k, 0)) * 1000) for k in cpu1},
                    "profile_self_ms": {k: round(v, 1) for k, v in per_chunk.items()},
                    "profile_top": dict(sorted(per_fn.items(), key=lambda kv: -kv[1])[:25]),
                    "elements": counts,
                    "trace_self_ms": traced,
                }
            )
            print(f"{rnd} {action} {target}: {painted - click:.0f} ms", file=sys.stderr)

        for rnd in range(repeat + 1):
            for name in PAGES:
                href = "" if name == "overzicht" else name
                link = page.locator(f'[data-testid="stSidebarNav"] a[href="{url}/{href}"]').first
                await measure("page_run", name, rnd, link)
            for label, k in (("Gemeente", 1 + rnd % 3), ("Aanbieder", 1 + rnd % 4)):
                box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
                    has_text=label
                )
                await box.first.click(timeout=timeout_ms)
                options = page.get_by_role("option")
                await options.first.wait_for(timeout=timeout_ms)
                target = await options.nth(k).inner_text()
                await measure("filter_change", f"{label}={target}", rnd, options.nth(k))
        await browser.close()
    return {"actions": results}


def summarise(actions: list[dict]) -> dict:
    """Median per target of every figure."""

    def med(values: list[float]) -> float:
        s = sorted(values)
        return round(s[len(s) // 2], 1) if s else 0.0

    by: dict[str, list[dict]] = defaultdict(list)
    for a in actions:
        by[a["target"] if a["action"] == "page_run" else "filter_change"].append(a)
    out = {}
    for target, rows in by.items():
        chunks = {c for r in rows for c in r["profile_self_ms"]}
        cpu_kinds = {c for r in rows for c in r["cpu_ms"]}
        out[target] = {
            "n": len(rows),
            "browser_ms": med([r["browser_ms"] for r in rows]),
            "metrics_ms": {k: med([r["metrics_ms"][k] for r in rows]) for k in rows[0]["metrics_ms"]},
            "cpu_ms": {k: med([r["cpu_ms"].get(k, 0) for r in rows]) for k in sorted(cpu_kinds)},
            "profile_self_ms": dict(
                sorted(
                    ((c, med([r["profile_self_ms"].get(c, 0) for r in rows])) for c in chunks),
                    key=lambda kv: -kv[1],
                )[:14]
            ),
            "elements": rows[-1]["elements"],
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=3, help="measured rounds after the warm-up round")
    ap.add_argument("--settle", type=float, default=1.5, help="seconds counted after each action's end")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--trace", action="store_true", help="also trace round 1 (self time per event)")
    ap.add_argument(
        "--js-profile",
        action="store_true",
        help="run the V8 sampling profiler over every action (its start costs the renderer 100-150 ms, "
        "which the metrics and CPU figures then include: profile and measure in separate runs)",
    )
    ap.add_argument("--out", default="profile_browser")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-browser-") as tmp:
        proc, url = devserver.start(Path(args.db), Path(tmp) / "streamlit.log")
        try:
            load_start = load1()
            result = asyncio.run(
                run(url, args.repeat, args.settle, int(args.timeout * 1000), args.trace, args.js_profile)
            )
        finally:
            devserver.stop(proc)
    result["load"] = {"start": load_start, "end": load1()}
    result["summary"] = summarise(result["actions"])
    out = REPO / "benchmarks" / "out" / f"{args.out}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["summary"], indent=1, ensure_ascii=False))
    print(f"load {result['load']}; -> {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
