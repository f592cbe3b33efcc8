"""Dashboard benchmark: page runs and filter changes, server-side and in the browser, N concurrent sessions.

Usage:
    python benchmarks/bench_dashboard.py [--db PATH | --source DIR] [--scale F] [--sessions 8] [--rounds 5]
                                         [--think 2,5 | --think 0] [--seed 2026]
                                         [--max-load 1.5] [--load-wait 120] [--out NAME]

Without --db it builds a database from --source (default sample_data/ at --scale 1, else a region
generated at --scale into a temp dir) through the real build. Then:

- one `streamlit run dashboard/app.py` on 127.0.0.1 (headless, no file watcher) with
  KETENMONITOR_TIMING_LOG set, so the app's opt-in timing hook (dashboard/timing.py) logs every script run
  (page, filter hash, ms from the top of app.py to the end of the page) and every cache-missing macro call;
- ONE Debian chromium (/usr/bin/chromium, the e2e flags) with --sessions browser contexts, driven
  concurrently from one asyncio loop (Playwright async API). Each session opens "/", then loops over rounds:
  click each page in the sidebar navigation (stromen, wachttijden, caseload, signalen, Overzicht = "page
  run"), then on Overzicht pick a gemeente and then an aanbieder in the sidebar selectboxes ("filter
  change"; the option differs per session and round, "Alle" included, so some runs miss the cache and
  some hit it, as with real users sharing one server);
- browser time = from the click event (captured in the page) until the app's data-test-script-state
  attribute on [data-testid="stApp"] went to a running state and back to notRunning, plus one animation
  frame (the main block is drawn); measured with performance.now() inside the page;
- pacing (--think): in "think" mode (default --think 2,5) every session pauses before each measured action
  for a think time drawn uniformly from [MIN, MAX] seconds by its own seeded generator (--seed and the
  session number), as users do and as load-test tools model it (Locust's `between(2, 5)`); the sessions
  therefore drift apart and act concurrently but not in lockstep. `--think 0` is "stress" mode: no pauses,
  every session fires its next action the moment the previous one is drawn (a saturation test: on 2
  cores, 8 browser renderers and the server compete for the CPU). Only the pacing differs between the
  modes; what is timed and how is the same;
- round 0 is a warm-up for all sessions (a barrier, never paused), excluded; then --rounds measured
  rounds. Server runs are classified per Streamlit session: page differs from the session's previous
  run = page run, same page with other filters = filter change, else other (not reported as an action).

Reports p50/p95/max per action (page run, filter change), server and browser, with the target (300 ms at
scale <= 1, else 1 s), per-page and per-macro (cache misses) server timings, the load average (start, end,
max sampled every 5 s), how many actions and server runs were in flight at once, the CPU seconds of the
server and of chromium in the measured rounds (total and per action), the server's resident memory and
every sample, as a table and as JSON in benchmarks/out/<--out>.json (default bench_dashboard_<scale>_<mode>, mode "stress" or
"think2-5"); every output names its mode. A benchmark to run and report, never a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.machine import descendant_cpu, load1, pct, wait_for_quiet  # noqa: E402
from tools import devserver  # noqa: E402

# (url path of the page, nav link href suffix); Overzicht last, the filter changes happen there
PAGES = ["stromen", "wachttijden", "caseload", "signalen", "overzicht"]

# In the page: record script-state transitions and the armed click with performance.now(). `arm()` resets
# the log right before an action, so runs that happen before the click (e.g. a rerun after a URL update)
# are never taken for the action's run.
INIT_JS = """
window.__km = {ev: [], click: null, armed: false, lastMsg: 0, nMsg: 0};
window.__kmArm = () => {
  window.__km.ev = []; window.__km.click = null; window.__km.armed = true; window.__km.nMsg = 0;
};
// DOM changes after the click: React may batch running -> notRunning into one render (a busy browser), so
// the attribute does not always change; then the last DOM change followed by 400 ms of quiet ends the run.
// Changes inside a <canvas> are left out: a canvas's children are fallback content that is never drawn
// (the Glide data grid of st.dataframe adds its accessibility table there about 400 ms after a run, which
// would otherwise end every batched run with a table at ~400 ms).
new MutationObserver((ms) => {
  const km = window.__km;
  if (km.click === null) return;
  const drawn = ms.some((m) => {
    const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    return !(el && el.closest('canvas'));
  });
  if (drawn) { km.lastMsg = performance.now(); km.nMsg += 1; }
}).observe(document, {childList: true, subtree: true, characterData: true});
document.addEventListener('click', () => {
  if (window.__km.armed) { window.__km.click = performance.now(); window.__km.armed = false; }
}, true);
new MutationObserver((ms) => {
  for (const m of ms) {
    const s = m.target.getAttribute('data-test-script-state');
    window.__km.ev.push([s, performance.now()]);
    if (s === 'notRunning') {
      // the next frame (main block drawn); a page that gets no frames: 250 ms at most
      let done = false;
      const mark = (how) => {
        if (!done) { done = true; window.__km.ev.push(['painted', performance.now(), how]); }
      };
      requestAnimationFrame(() => setTimeout(() => mark('frame'), 0));
      setTimeout(() => mark('timeout'), 250);
    }
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
"""
# Resolves to [click, notRunning, painted] once a run that started after the armed click has finished.
DONE_JS = """
() => {
  const km = window.__km;
  if (!km || km.click === null) return false;
  const ev = km.ev.filter(e => e[1] >= km.click);
  const i = ev.findIndex(e => e[0] !== 'notRunning' && e[0] !== 'painted');
  if (i < 0) {
    const app = document.querySelector('[data-testid="stApp"]');
    const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
    const now = performance.now();
    if (idle && km.nMsg > 0 && now - km.lastMsg > 400) return [km.click, km.lastMsg, km.lastMsg, 'dom_quiet'];
    return false;
  }
  const rest = ev.slice(i);
  const j = rest.findIndex(e => e[0] === 'notRunning');
  if (j < 0) return false;
  const p = rest.slice(j).find(e => e[0] === 'painted');
  if (!p) return false;
  if (!document.querySelector('[data-testid="stMainBlockContainer"]')) return false;
  return [km.click, rest[j][1], p[1], 'state'];
}
"""
# The first load: the app has run once and is idle.
READY_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !!document.querySelector('[data-testid="stSidebarNav"] a')
    && !!document.querySelector('[data-testid="stMainBlockContainer"]');
}
"""


# ---------------------------------------------------------------- load


class LoadSampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(5):
            self.samples.append(load1())


def cpu_snapshot(server_pid: int) -> dict[int, tuple[str, float]]:
    """CPU seconds (user + system, all threads) of every process below this one, by pid: the server,
    chromium's processes, and the rest (Playwright's driver)."""
    return {
        pid: (
            "server" if pid == server_pid else "chromium" if any(b"chromium" in c for c in cmd) else "other",
            cpu,
        )
        for pid, (cmd, cpu) in descendant_cpu().items()
    }


def cpu_used(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds per group between two snapshots (a process started in between counts in full)."""
    used: dict[str, float] = {}
    for pid, (group, cpu) in after.items():
        used[group] = used.get(group, 0.0) + cpu - before.get(pid, (group, 0.0))[1]
    return {g: round(v, 2) for g, v in sorted(used.items())}


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process now and at its peak (VmRSS, VmHWM), MB."""
    out = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[{"VmRSS": "rss_end", "VmHWM": "rss_peak"}[key]] = round(int(value.split()[0]) / 1024, 1)
    return out


# ---------------------------------------------------------------- stats


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": pct(values, 50),
        "p95": pct(values, 95),
        "max": round(max(values), 1) if values else None,
    }


def in_flight(intervals: list[tuple[float, float]], t_start: float, t_end: float) -> dict:
    """How many of the (start, end) intervals overlapped: time-weighted mean over [t_start, t_end] and max."""
    events = sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals])
    level = peak = 0
    area, last = 0.0, t_start
    for t, step in events:
        t = min(max(t, t_start), t_end)
        area += level * (t - last)
        last = t
        level += step
        peak = max(peak, level)
    span = t_end - t_start
    return {"mean": round(area / span, 2) if span > 0 else None, "max": peak}


def parse_think(text: str) -> tuple[float, float]:
    """'2,5' -> (2.0, 5.0); '0' -> (0.0, 0.0) (stress mode)."""
    parts = [float(p) for p in text.split(",")]
    lo, hi = (parts[0], parts[0]) if len(parts) == 1 else (parts[0], parts[1])
    if len(parts) > 2 or lo < 0 or hi < lo:
        raise argparse.ArgumentTypeError(f"--think verwacht MIN,MAX (seconden, 0 <= MIN <= MAX) of 0: {text}")
    return lo, hi


def mode_name(think: tuple[float, float]) -> str:
    return "stress" if think[1] <= 0 else f"think{think[0]:g}-{think[1]:g}"


# ---------------------------------------------------------------- database and server


def ensure_db(args: argparse.Namespace, work: Path) -> Path:
    if args.db:
        return Path(args.db)
    os.environ.setdefault("KETENMONITOR_PSEUDONYM_KEY", "bench")
    source = Path(args.source) if args.source else None
    if source is None:
        if args.scale == 1 and (REPO / "sample_data").is_dir():
            source = REPO / "sample_data"
        else:
            source = work / "bron"
            print(f"genereren (scale {args.scale}) naar {source}", file=sys.stderr)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pipelines",
                    "generate",
                    "--out",
                    str(source),
                    "--scale",
                    str(args.scale),
                ],
                cwd=REPO,
                check=True,
            )
    db = work / "ketenmonitor.duckdb"
    print(f"bouwen uit {source} naar {db}", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "pipelines", "build", "--source", str(source), "--db", str(db)],
        cwd=REPO,
        check=True,
    )
    return db


def start_server(db: Path, timing_log: Path, log: Path) -> tuple[subprocess.Popen, str]:
    try:
        return devserver.start(db, log, env={"KETENMONITOR_TIMING_LOG": str(timing_log)})
    except devserver.ServerError as exc:
        raise SystemExit(str(exc)) from exc


# ---------------------------------------------------------------- browser sessions


class Session:
    def __init__(
        self, idx: int, context, url: str, timeout_ms: int, think: tuple[float, float], seed: int
    ) -> None:
        self.idx = idx
        self.context = context
        self.url = url
        self.timeout_ms = timeout_ms
        self.page = None
        self.records: list[dict] = []
        self.failures: list[str] = []
        self.think = think  # (min, max) seconds before each measured action; (0, 0) = stress mode
        self.rng = random.Random(f"{seed}:{idx}")  # the session's own seeded draws
        self.paced = False  # the warm-up round is never paused
        self.thought = 0.0  # seconds paused in measured rounds

    async def pause(self) -> None:
        """The user's think time before an action (uniform in [min, max]; nothing in stress mode)."""
        lo, hi = self.think
        if not self.paced or hi <= 0:
            return
        seconds = self.rng.uniform(lo, hi)
        self.thought += seconds
        await asyncio.sleep(seconds)

    def _fail(self, text: str) -> None:
        self.failures.append(text)
        print(text, file=sys.stderr)

    async def _measure(self, action: str, target: str, rnd: int, locator) -> None:
        try:
            await locator.wait_for(state="visible", timeout=self.timeout_ms)
            await self.page.evaluate("window.__kmArm()")
            await locator.click(timeout=self.timeout_ms)
            handle = await self.page.wait_for_function(DONE_JS, timeout=self.timeout_ms, polling=20)
            click, done, painted, how = await handle.json_value()
            self.records.append(
                {
                    "session": self.idx,
                    "round": rnd,
                    "action": action,
                    "target": target,
                    "ms": round(painted - click, 1),
                    "ms_to_not_running": round(done - click, 1),
                    "end_by": how,
                    "wall": time.time(),  # when the end was seen; wall - ms/1000 ~ the click
                }
            )
        except Exception as exc:
            state = None
            with contextlib.suppress(Exception):
                state = await self.page.evaluate(
                    "[window.__km.ev.slice(-6), window.__km.click, location.href]"
                )
            self._fail(f"sessie {self.idx} ronde {rnd} {action} {target}: {exc!s:.300} {state}")
            with contextlib.suppress(Exception):
                await self.page.screenshot(path=f"/tmp/bench_dashboard_fail_{self.idx}_{rnd}.png")
            with contextlib.suppress(Exception):  # close an open dropdown
                await self.page.keyboard.press("Escape")

    async def open(self) -> None:
        self.page = await self.context.new_page()
        await self.page.add_init_script(INIT_JS)
        await self.page.goto(self.url + "/")
        await self.page.wait_for_function(READY_JS, timeout=self.timeout_ms * 2, polling=50)

    async def visit(self, name: str, rnd: int) -> None:
        await self.pause()
        href = "" if name == "overzicht" else name
        link = self.page.locator(f'[data-testid="stSidebarNav"] a[href="{self.url}/{href}"]')
        await self._measure("page_run", name, rnd, link.first)

    async def choose(self, label: str, rnd: int) -> None:
        await self.pause()  # before opening the list: deciding is the user's think time
        box = self.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
            has_text=label
        )
        try:
            await box.first.click(timeout=self.timeout_ms)
            options = self.page.get_by_role("option")
            await options.first.wait_for(timeout=self.timeout_ms)
            n = min(await options.count(), 8)  # the list is virtualised: choose among the rendered options
            selected = await self.page.locator('[role="option"][aria-selected="true"]').all_inner_texts()
            k = (self.idx + 3 * rnd + (1 if label == "Aanbieder" else 0)) % n
            if selected and (await options.nth(k).inner_text()) == selected[0]:
                k = (k + 1) % n
            target = await options.nth(k).inner_text()
        except Exception as exc:
            self._fail(f"sessie {self.idx} ronde {rnd} open {label}: {exc!s:.300}")
            with contextlib.suppress(Exception):
                await self.page.keyboard.press("Escape")
            return
        await self._measure("filter_change", f"{label}={target}", rnd, options.nth(k))

    async def round(self, rnd: int) -> None:
        t0 = time.monotonic()
        for name in PAGES:
            await self.visit(name, rnd)
        await self.choose("Gemeente", rnd)
        await self.choose("Aanbieder", rnd)
        print(f"sessie {self.idx} ronde {rnd}: {time.monotonic() - t0:.1f} s", file=sys.stderr)


async def drive(
    url: str,
    sessions: int,
    rounds: int,
    timeout_ms: int,
    think: tuple[float, float],
    seed: int,
    server_pid: int,
) -> tuple[list[Session], float, float, dict[str, float]]:
    from playwright.async_api import async_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium ontbreekt (scripts/setup.sh --browser); nooit `playwright install`")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=devserver.CHROMIUM_ARGS)
        contexts = [
            await browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(sessions)
        ]
        ss = [Session(i, c, url, timeout_ms, think, seed) for i, c in enumerate(contexts)]
        await asyncio.gather(*(s.open() for s in ss))
        await asyncio.gather(*(s.round(0) for s in ss))  # warm-up, all sessions
        t_start = time.time()
        cpu_start = cpu_snapshot(server_pid)
        for s in ss:
            s.records.clear()
            s.paced = True
        await asyncio.gather(*(_rounds(s, rounds) for s in ss))
        t_end = time.time()
        cpu = cpu_used(cpu_start, cpu_snapshot(server_pid))
        await browser.close()
    return ss, t_start, t_end, cpu


async def _rounds(s: Session, rounds: int) -> None:
    for rnd in range(1, rounds + 1):
        await s.round(rnd)


# ---------------------------------------------------------------- server log


def parse_timing(path: Path, t_start: float, t_end: float) -> dict:
    runs: dict[str, list[float]] = {"page_run": [], "filter_change": [], "other": []}
    per_page: dict[str, list[float]] = {}
    per_macro: dict[str, list[float]] = {}
    prev: dict[str, tuple[str, str]] = {}
    intervals: list[tuple[float, float]] = []
    if not path.exists():
        return {"runs": {}, "per_page": {}, "per_macro": {}, "lines": 0, "in_flight": {}}
    for line in path.read_text().splitlines():
        parts = line.split("\t")
        if len(parts) != 6:
            continue
        kind, session, name, key, ms_s, wall_s = parts
        ms, wall = float(ms_s), float(wall_s)
        measured = t_start <= wall <= t_end
        if kind == "run":
            before = prev.get(session)
            prev[session] = (name, key)
            if before is None:
                action = "other"
            elif before[0] != name:
                action = "page_run"
            elif before[1] != key:
                action = "filter_change"
            else:
                action = "other"
            if measured:
                runs[action].append(ms)
                intervals.append((wall - ms / 1000, wall))
                if action == "page_run":
                    per_page.setdefault(name, []).append(ms)
        elif kind == "query" and measured:
            per_macro.setdefault(name, []).append(ms)
    return {
        "lines": len(path.read_text().splitlines()),
        "runs": {a: summary(v) for a, v in runs.items()},
        "samples": {a: [round(x, 1) for x in v] for a, v in runs.items() if a != "other"},
        "per_page": {p: summary(v) for p, v in sorted(per_page.items())},
        "in_flight": in_flight(intervals, t_start, t_end),  # script runs of all kinds at once
        "per_macro": {
            m: {**summary(v), "total": round(sum(v), 1)}
            for m, v in sorted(per_macro.items(), key=lambda kv: -sum(kv[1]))
        },
    }


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="an existing database (else built from --source / generated at --scale)")
    ap.add_argument("--source", help="a folder of exports to build from")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=5, help="measured rounds after the warm-up round")
    ap.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per action before it counts as failed"
    )
    ap.add_argument(
        "--think",
        type=parse_think,
        default=(2.0, 5.0),
        metavar="MIN,MAX",
        help="think time before each measured action, seconds, uniform per action and session "
        "(default 2,5); 0 = stress mode (no pauses)",
    )
    ap.add_argument("--seed", type=int, default=2026, help="seed of the sessions' think-time draws")
    ap.add_argument("--max-load", type=float, default=1.5, help="wait while the 1-min load is above this")
    ap.add_argument("--load-wait", type=float, default=120.0)
    ap.add_argument(
        "--out", help="name of the JSON in benchmarks/out (default bench_dashboard_<scale>_<mode>)"
    )
    args = ap.parse_args()
    scale_txt = f"{args.scale:g}"
    target_ms = 300.0 if args.scale <= 1 else 1000.0
    mode = mode_name(args.think)

    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        work = Path(tmp)
        db = ensure_db(args, work)
        timing_log = work / "timing.tsv"
        proc, url = start_server(db, timing_log, work / "streamlit.log")
        try:
            load_start = wait_for_quiet(args.max_load, args.load_wait, "ronde", poll_s=10)
            sampler = LoadSampler()
            sampler.start()
            ss, t_start, t_end, cpu = asyncio.run(
                drive(
                    url,
                    args.sessions,
                    args.rounds,
                    int(args.timeout * 1000),
                    args.think,
                    args.seed,
                    proc.pid,
                )
            )
            sampler.stop.set()
            load_end = load1()
            server_memory = memory_mb(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        server = parse_timing(timing_log, t_start, t_end)
        server_log_tail = (work / "streamlit.log").read_text()[-2000:]

    records = [r for s in ss for r in s.records]
    failures = [f for s in ss for f in s.failures]
    browser: dict[str, dict] = {}
    per_target: dict[str, dict] = {}
    for action in ("page_run", "filter_change"):
        browser[action] = summary([r["ms"] for r in records if r["action"] == action])
    for name in PAGES:
        per_target[name] = summary(
            [r["ms"] for r in records if r["action"] == "page_run" and r["target"] == name]
        )

    browser_intervals = [(r["wall"] - r["ms"] / 1000, r["wall"]) for r in records]
    result = {
        "benchmark": "bench_dashboard",
        "date": datetime.now().isoformat(timespec="seconds"),
        "mode": mode,  # "stress" (--think 0: no pauses, lockstep) or "thinkMIN-MAX" (paced like users)
        "think_seconds": list(args.think),
        "seed": args.seed,
        "think_total_seconds": round(sum(s.thought for s in ss), 1),
        "scale": args.scale,
        "db": str(db) if args.db else "(built in a temp dir)",
        "db_bytes": db.stat().st_size if args.db else None,
        "sessions": args.sessions,
        "rounds": args.rounds,
        "browser_setup": f"one chromium, {args.sessions} contexts, asyncio (Playwright async API)",
        "target_p95_ms": target_ms,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load": {
            "start": load_start,
            "end": load_end,
            "max_sampled": max(sampler.samples, default=load_end),
            "mean_sampled": round(sum(sampler.samples) / len(sampler.samples), 2)
            if sampler.samples
            else None,
        },
        "wall_seconds": round(t_end - t_start, 1),
        # CPU seconds used in the measured rounds by the server and by chromium, in total and per measured
        # browser action: what the work costs, whatever else ran on the machine at the time
        "cpu_seconds": cpu,
        "server_memory_mb": server_memory,
        "cpu_ms_per_action": {g: round(v * 1000 / max(1, len(records)), 1) for g, v in cpu.items()},
        "in_flight": {  # concurrency actually reached: mean (time-weighted) and max at once
            "browser_actions": in_flight(browser_intervals, t_start, t_end),
            "server_runs": server["in_flight"],
        },
        "browser": browser,
        "browser_per_page": per_target,
        "browser_end_by": {
            h: sum(1 for r in records if r.get("end_by") == h) for h in ("state", "dom_quiet")
        },
        "server": server["runs"],
        "server_per_page": server["per_page"],
        "server_per_macro_misses": server["per_macro"],
        "server_log_lines": server["lines"],
        "failures": failures,
        # every measured time, so several runs can be pooled (benchmarks/README: p95 over all runs)
        "samples_ms": {
            "server": server.get("samples", {}),
            "browser": {
                a: [r["ms"] for r in records if r["action"] == a] for a in ("page_run", "filter_change")
            },
        },
        "meets_target": {
            f"{side}_{a}": (d.get(a, {}).get("p95") or 0) < target_ms
            for side, d in (("server", server["runs"]), ("browser", browser))
            for a in ("page_run", "filter_change")
        },
    }
    if failures:
        result["server_log_tail"] = server_log_tail
    out = REPO / "benchmarks" / "out" / f"{args.out or f'bench_dashboard_{scale_txt}_{mode}'}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")

    think_txt = "no pauses" if mode == "stress" else f"think {args.think[0]:g}-{args.think[1]:g} s"
    flight = result["in_flight"]
    print(
        f"\nbench_dashboard scale {scale_txt}, mode {mode} ({think_txt}): {args.sessions} sessions x "
        f"{args.rounds} rounds (+1 warm-up), load {load_start:.2f} -> {load_end:.2f} "
        f"(max {result['load']['max_sampled']:.2f}), target p95 < {target_ms:.0f} ms\n"
        f"in flight at once: browser actions mean {flight['browser_actions']['mean']} max "
        f"{flight['browser_actions']['max']}; server runs mean {flight['server_runs'].get('mean')} max "
        f"{flight['server_runs'].get('max')}\n"
        f"CPU per measured action (ms): {result['cpu_ms_per_action']}"
    )
    print("| mode | side | action | n | p50 ms | p95 ms | max ms | p95 < target |")
    print("|---|---|---|---:|---:|---:|---:|---|")
    for side, d in (("server", server["runs"]), ("browser", browser)):
        for a in ("page_run", "filter_change"):
            s = d.get(a, {})
            ok = "yes" if (s.get("p95") or 0) < target_ms else "NO"
            print(
                f"| {mode} | {side} | {a} | {s.get('n')} | {s.get('p50')} | {s.get('p95')} | {s.get('max')} "
                f"| {ok} |"
            )
    print("\nserver per page (page runs):", json.dumps(server["per_page"]))
    print("top macros (cache misses, total ms):")
    for m, s in list(server["per_macro"].items())[:8]:
        print(f"  {m}: n={s['n']} p50={s['p50']} p95={s['p95']} max={s['max']} total={s['total']}")
    if failures:
        print(f"{len(failures)} mislukte acties, bv.: {failures[:3]}")
    print(f"-> {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
