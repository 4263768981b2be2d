"""The benchmark's tables, and the issue's targets checked against a run."""

SHORT_NAMES = {"closecalls": "closecalls", "floor": "floor", "usual": "usual way"}
API_PREFIX = "/api/"


def by_size(result):
    return {size["calls"]: size for size in result["sizes"]}


def measured(target):
    return target is not None and "rps" in target


def ratio(a, b):
    return round(a / b, 2) if b else None


def cpu_ms(target):
    """CPU time per request of the app's workers and PostgreSQL: steadier than req/s when
    other processes compete for the CPUs."""
    return target["app_cpu_ms"] + target["pg_cpu_ms"]


def growth(result, name, target="closecalls"):
    """Return how many times slower `name` is at the largest size than at the smallest."""
    sizes = by_size(result)
    if len(sizes) < 2:
        return None
    small = sizes[min(sizes)]["scenarios"][name]["targets"].get(target)
    large = sizes[max(sizes)]["scenarios"][name]["targets"].get(target)
    if not (measured(small) and measured(large)):
        return None
    return {
        "slowdown_rps": ratio(small["rps"], large["rps"]),
        "p50_ratio": ratio(large["p50_ms"], small["p50_ms"]),
        "cpu_ratio": ratio(cpu_ms(large), cpu_ms(small)),
    }


def render(result):
    sizes = by_size(result)
    config = result["config"]
    lines = [
        f"closecalls benchmark: {config['connections']} connections, {config['seconds']}s per "
        f"measurement, {config['workers']} gunicorn sync workers, wrk 1 thread, "
        f"{result['machine']['cpus']} CPUs",
        "",
    ]
    header = (
        f"  {'':<11}{'calls':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'×floor':>8}"
        f"{'÷usual':>8}{'queries':>9}{'RSS MB':>8}{'app ms':>8}{'pg ms':>7}{'other':>7}  status"
    )
    names = list(next(iter(sizes.values()))["scenarios"])
    for name in names:
        first = next(iter(sizes.values()))["scenarios"][name]
        if first["depth"]:
            continue
        lines += [f"{name}: {first['title']}", f"  {first['method']} {first['path']}", header]
        for calls, size in sizes.items():
            targets = size["scenarios"][name]["targets"]
            floor, usual = targets.get("floor"), targets.get("usual")
            for target_name, target in targets.items():
                lines.append(row(target_name, calls, target, floor, usual))
        grown = growth(result, name)
        if grown:
            lines.append(
                f"  growth {max(sizes):,} vs {min(sizes):,} calls: "
                f"{grown['slowdown_rps']}× fewer req/s, p50 ×{grown['p50_ratio']}, "
                f"CPU per request ×{grown['cpu_ratio']}"
            )
        lines.append("")
    lines += depth_table(result)
    lines += targets_table(result)
    return "\n".join(lines)


def row(target_name, calls, target, floor, usual):
    start = f"  {SHORT_NAMES[target_name]:<11}{calls:>10,}"
    if not measured(target):
        queries = target.get("queries")
        return start + f"{'':>43}{fmt(queries):>9}{'':>30}  {target['status']}"
    vs_floor = ratio(target["rps"], floor["rps"]) if measured(floor) else None
    vs_usual = ratio(target["rps"], usual["rps"]) if measured(usual) else None
    return (
        start
        + f"{target['rps']:>9.0f}{target['p50_ms']:>9.2f}{target['p99_ms']:>9.2f}"
        + f"{fmt(vs_floor):>8}{fmt(vs_usual):>8}{fmt(target.get('queries')):>9}"
        + f"{target['peak_rss_mb']:>8.0f}{target['app_cpu_ms']:>8.2f}{target['pg_cpu_ms']:>7.2f}"
        + f"{target['other_cpu_share']:>7.0%}"
        + f"  {target['status']}"
    )


def fmt(value):
    return "" if value is None else str(value)


def depth_table(result):
    lines = ["deep pages: organization list (closecalls) by _skip"]
    lines.append(f"  {'calls':>10}{'_skip':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  status")
    for size in result["sizes"]:
        for name, scenario in size["scenarios"].items():
            if not scenario["depth"]:
                continue
            target = scenario["targets"]["closecalls"]
            depth = int(name.removeprefix("depth_"))
            if measured(target):
                lines.append(
                    f"  {size['calls']:>10,}{depth:>10,}{target['rps']:>9.0f}"
                    f"{target['p50_ms']:>9.2f}{target['p99_ms']:>9.2f}  {target['status']}"
                )
            else:
                lines.append(f"  {size['calls']:>10,}{depth:>10,}{'':>27}  {target['status']}")
    return [*lines, ""]


def targets(result):
    """Check the issue's targets at the largest size; None where a number is missing."""
    sizes = by_size(result)
    large = sizes[max(sizes)]["scenarios"]
    checks = []

    def add(target, value, met, cpu=None):
        checks.append({"target": target, "value": value, "met": met, "by_cpu": cpu})

    for name in ("lead_calls", "org_newest"):
        if name not in large:
            continue  # left out by BENCH_SCENARIOS
        targets_ = large[name]["targets"]
        product, floor, usual = targets_["closecalls"], targets_["floor"], targets_["usual"]
        ok = measured(product)
        vs_floor = ratio(product["rps"], floor["rps"]) if ok and measured(floor) else None
        vs_usual = ratio(product["rps"], usual["rps"]) if ok and measured(usual) else None
        cpu_floor = ratio(cpu_ms(floor), cpu_ms(product)) if vs_floor is not None else None
        cpu_usual = ratio(cpu_ms(usual), cpu_ms(product)) if vs_usual is not None else None
        add(f"{name}: req/s ≥ 0.6 × floor", vs_floor,
            None if vs_floor is None else vs_floor >= 0.6, cpu_floor)  # fmt: skip
        add(f"{name}: req/s ≥ 4 × usual way", vs_usual,
            None if vs_usual is None else vs_usual >= 4, cpu_usual)  # fmt: skip
    for name, scenario in large.items():
        product = scenario["targets"]["closecalls"]
        queries = product.get("queries")
        if scenario["path"].startswith(API_PREFIX) and not scenario["depth"]:
            needed = scenario.get("queries", 2)
            met = None if queries is None else queries <= needed and product.get("counts") == 0
            add(f"{name}: ≤ {needed} queries, no COUNT", queries, met)
    for name, scenario in large.items():
        product = scenario["targets"]["closecalls"]
        if product.get("compared_queries") is not None:
            add(f"{name}: same queries for a lead with few calls",
                f"{product['queries']} vs {product['compared_queries']}",
                product["queries"] == product["compared_queries"])  # fmt: skip

    def relative(target, name, other, bound, slower=False):
        """`name`'s req/s ÷ `other`'s, at least `bound`; or, `slower`, how many times slower
        `name` is than `other`, at most `bound`. Beside it, the same ratio in CPU per request."""
        if not {name, other} <= large.keys():
            return  # left out by BENCH_SCENARIOS
        mine, theirs = (large[n]["targets"]["closecalls"] for n in (name, other))
        if not (measured(mine) and measured(theirs)):
            add(target, None, None)
        elif slower:
            value = ratio(theirs["rps"], mine["rps"])
            met = None if value is None else value <= bound
            add(target, value, met, ratio(cpu_ms(mine), cpu_ms(theirs)))
        else:
            value = ratio(mine["rps"], theirs["rps"])
            met = None if value is None else value >= bound
            add(target, value, met, ratio(cpu_ms(theirs), cpu_ms(mine)))

    relative("lead_page: req/s ≥ 0.5 × lead_calls", "lead_page", "lead_calls", 0.5)
    relative("calls_page_deep: ≤ 1.3× slower than calls_page", "calls_page_deep", "calls_page",
             1.3, slower=True)  # fmt: skip
    relative("insights_page: req/s ≥ 0.5 × lead_page", "insights_page", "lead_page", 0.5)
    if "lead_search" in large:
        base = large["lead_search"]["targets"]["closecalls"]
        for name in (name for name in large if name.startswith("search_")):
            product = large[name]["targets"]["closecalls"]
            both = measured(product) and measured(base)
            value = ratio(product["rps"], base["rps"]) if both else None
            add(f"{name}: req/s ≥ 0.5 × lead_search", value,
                None if value is None else value >= 0.5,
                ratio(cpu_ms(base), cpu_ms(product)) if both else None)  # fmt: skip
            grown = growth(result, name)
            value = grown["slowdown_rps"] if grown else None
            add(f"{name}: ≤ 1.5× slower at {max(sizes):,} than at {min(sizes):,}", value,
                None if value is None else value <= 1.5,
                grown["cpu_ratio"] if grown else None)  # fmt: skip
    for name, scenario in large.items():
        if scenario["indexed"]:
            grown = growth(result, name)
            value = grown["slowdown_rps"] if grown else None
            limit = scenario.get("growth_limit", 1.3)
            add(f"{name}: ≤ {limit}× slower at {max(sizes):,} than at {min(sizes):,}", value,
                None if value is None else value <= limit,
                grown["cpu_ratio"] if grown else None)  # fmt: skip
    peaks = [
        target["peak_rss_mb"]
        for scenario in large.values()
        for name, target in scenario["targets"].items()
        if name == "closecalls" and measured(target)
    ]
    peak = max(peaks, default=None)
    add("peak RSS per worker < 120 MB", peak, None if peak is None else peak < 120)
    return checks


def targets_table(result):
    lines = [
        "targets (largest size; judged on req/s, with the same ratio in CPU per request beside it)",
        f"  {'':<13}{'':<62}{'req/s':>7}{'CPU':>7}",
    ]
    for check in result["targets"]:
        verdict = {True: "met", False: "MISSED", None: "not measured"}[check["met"]]
        lines.append(
            f"  {verdict:<13}{check['target']:<62}{fmt(check['value']):>7}{fmt(check['by_cpu']):>7}"
        )
    return lines
