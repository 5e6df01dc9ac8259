"""The drill's figures as printed at the end of `make drill` (the same data,
in full, is in bench/results/drill-*/drill.json)."""

from __future__ import annotations

from collections import Counter


def error_windows(per_second: dict[str, int], t0: float) -> list[str]:
    """Errors per run of consecutive seconds, "15–17 s: 23", seconds from
    the start of the load."""
    seconds = sorted(int(k) for k in per_second)
    runs: list[list[int]] = []
    for s in seconds:
        if runs and s - runs[-1][-1] <= 1:
            runs[-1].append(s)
        else:
            runs.append([s])
    out = []
    for run in runs:
        count = sum(per_second[str(s)] for s in run)
        first, last = run[0] - t0, run[-1] + 1 - t0
        out.append(f"{max(first, 0):.0f}–{last:.0f} s: {count}")
    return out


def cpu_line(sample: dict) -> str:
    groups = ", ".join(
        f"{name} {'+'.join(str(p) for p in values if p) or '0'}"
        for name, values in sample["cpu_percent"].items()
    )
    return f"{groups}; machine {sample['machine_busy_percent']}% busy"


def throughput_lines(tp: dict, nproc: int) -> list[str]:
    lines = [
        "throughput through the balancer (16 users, 10 s each; CPU in % of one "
        f"core per process, machine busy in % of its {nproc} cores):"
    ]
    for scenario in ("catalogue", "lesson"):
        one, two = tp[f"{scenario}-1"], tp[f"{scenario}-2"]
        ratio = two["rps"] / max(one["rps"], 0.1)
        lines += [
            f"  {scenario}: one host {one['rps']} req/s (p95 {one['p95_ms']} ms, "
            f"{one['errors']} errors), two hosts {two['rps']} req/s (p95 "
            f"{two['p95_ms']} ms, {two['errors']} errors): ratio {ratio:.2f}",
            f"    one host:  {cpu_line(one)}",
            f"    two hosts: {cpu_line(two)}",
        ]
    return lines


def load_lines(m: dict, ev: dict) -> list[str]:
    t0 = m["started"]
    kinds = Counter(
        f"{e['name']} {e['status'] or e['error'][:40]}" for e in m["error_list"]
    )
    served = m["requests"] - m["errors"]
    return [
        f"load with the kills ({m['seconds']} s; 4 visitors, 4 readers, 4 "
        f"completers): {m['requests']} requests, {served} served, "
        f"{m['errors']} errors; by host {m['hosts']}",
        f"  errors (s from the start): {error_windows(m['errors_per_second'], t0)}"
        f" {dict(kinds.most_common(6))}",
        f"  web1 SIGKILLed at {ev['web_killed'] - t0:.1f} s: the balancer dropped "
        f"it after {ev['balancer_drop_s']} s; restarted at "
        f"{ev['web_restarted'] - t0:.1f} s, back in the balancer "
        f"{ev['balancer_up_s']} s later"
        + (f" (NOT BACK: {ev['web1_not_up']})" if "web1_not_up" in ev else ""),
        f"  worker1 SIGKILLed at {ev['worker_killed'] - t0:.1f} s (messages "
        f"queued {ev['queued_before_worker_kill']}, held by workers "
        f"{ev['unacked_before_worker_kill']}); restarted at "
        f"{ev['worker_restarted'] - t0:.1f} s",
    ]


def _seconds(value: float | None) -> str:
    return "NOT within the wait" if value is None else f"{value:.1f} s"


def certificate_lines(d: dict, ev: dict, mails: dict) -> list[str]:
    last = d.get("last_issued_ts")
    to_last = f"{last - ev['worker_killed']:.1f} s" if last else "-"
    slow = [
        f"#{c['pk']} completed {c['created_ts'] - ev['web_killed']:+.1f} s from "
        f"the web kill, issued {c['waited_s']} s later"
        for c in d.get("slow", [])
    ]
    return [
        f"completions: {d['completions']}",
        f"  certificates issued more than 20 s after their completion: {slow}",
        f"certificates: {d['certificates']} {d['by_status']}; completions without "
        f"one {d['completions_without_certificate']}; issued more than once "
        f"{d['issued_more_than_once']}; PDF SHA-256 mismatches "
        f"{d['pdf_sha256_mismatch']}",
        f"emails: {d['emailed']} certificates marked mailed, {mails['received']} "
        f"messages received by the SMTP server, for "
        f"{mails['certificate_recipients']} completers; more than one to "
        f"{mails['more_than_one']}; every mail sent "
        f"{_seconds(d.get('seconds_to_mail_all'))} after the last issue; "
        f"claimed by a killed worker and still not sent "
        f"{d.get('email_claimed_unsent', '-')}",
        f"worker kill to the last certificate issued: {to_last} (every "
        f"certificate issued {d['seconds_to_issue_all']:.1f} s after the load "
        "ended)"
        if d["seconds_to_issue_all"] is not None
        else f"worker kill to the last certificate issued: {to_last} (NOT ALL "
        "ISSUED within the wait)",
    ]


def image_lines(image: dict | None) -> list[str]:
    if image is None:  # folders, no public bucket
        return []
    verdict = "ok" if image["ok"] else "FAILED"
    detail = {k: v for k, v in image.items() if k != "ok"}
    return [f"anonymous image through the balancer's /media/: {verdict} {detail}"]


def print_report(r: dict) -> bool:
    """Prints the figures; True if every certificate and check held."""
    c, t = r["checks"], r["timings"]
    machine = r["machine"]
    lines = [
        "",
        f"== Relais several-hosts drill {r['date']}: {r['seconds']} s (setup "
        f"{t['setup']} s, hosts up at {t['hosts_up']} s, load and certificates "
        f"done at {t['load_and_drain']} s) ==",
        f"machine: {machine['nproc']} cores, {machine['cpu']}; load average at "
        f"the end {r['load_average']}",
        f"hosts: {r['network']} {r['network_reason']}".rstrip()
        + f"; storage: {r['storage']}; database: {r['database']}",
        f"seeded certificates issued before the measurements: {r['settled']['queued']}",
        f"signed in across hosts: {c['session']} {c['session_detail']}",
        f"rate limit across hosts: {c['rate_limit']} {c['rate_limit_detail']}",
        *image_lines(c.get("public_image")),
        *throughput_lines(r["throughput"], machine["nproc"]),
        *load_lines(r["mixed"], r["events"]),
        *certificate_lines(r["drained"], r["events"], r["mails"]),
    ]
    if r.get("restore"):
        lines.append(f"restore: {r['restore']['summary']}")
    d = r["drained"]
    ok = (
        d["issued_within_timeout"]
        and d["completions"] == d["certificates"]
        and not d["issued_more_than_once"]
        and not d["completions_without_certificate"]
        and not d["pdf_sha256_mismatch"]
    )
    lines.append(
        "RESULT: "
        + (
            "every completion has exactly one certificate"
            if ok
            else "CERTIFICATES LOST OR DOUBLED"
        )
    )
    failed = [name for name, value in _checks(r).items() if not value]
    lines.append(
        "CHECKS: "
        + (
            f"FAILED {failed}"
            if failed
            else "sessions, rate limit, anonymous image, restore ok"
        )
    )
    print("\n".join(lines), flush=True)
    return ok and not failed


def _checks(r: dict) -> dict[str, bool]:
    c = r["checks"]
    out = {"session": c["session"] == "ok", "rate_limit": c["rate_limit"] == "ok"}
    if c.get("public_image") is not None:
        out["public_image"] = c["public_image"]["ok"]
    if r.get("restore"):
        out["restore"] = bool(r["restore"]["ok"])
    return out


if __name__ == "__main__":  # python -m bench.drill.report RUN_DIR/drill.json
    import json
    import sys
    from pathlib import Path

    print_report(json.loads(Path(sys.argv[1]).read_text()))
