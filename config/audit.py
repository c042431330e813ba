"""Audit the pinned requirements for known vulnerabilities: pip-audit, with a fallback.

pip-audit resolves ``requirements.txt`` (with every transitive dependency) and asks
PyPI's per-version JSON API about each release. Where that API does not answer (a closed
network or a mirror that serves only the project pages), pip-audit skips the package
instead of failing. For each skipped package this asks the project page's JSON, whose
``vulnerabilities`` describe the newest release: when the pinned version *is* the
newest, that is a full answer; when it is not, the package is listed as not checked,
with the newest release named, so nobody mistakes silence for a clean bill.

Usage: ``python -m config.audit [requirements.txt]`` (``bin/audit``). Exits 1 when any
known vulnerability affects a pinned version, 0 otherwise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field

PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
SKIPPED_VERSION = re.compile(r"\(([^()]+)\)\s*$")


@dataclass
class Finding:
    name: str
    version: str
    vulns: list[str] = field(default_factory=list)
    checked_by: str = "pip-audit"  # or "project page", or "" when not checked
    note: str = ""


def run_pip_audit(requirements: str) -> list[dict]:
    """Return pip-audit's JSON list of dependencies (raises when it cannot run)."""
    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "-r", requirements, "-f", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
    )
    try:
        return json.loads(done.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise RuntimeError(f"pip-audit gave no report:\n{done.stderr[-2000:]}") from exc


def project_page(name: str) -> dict | None:
    """Return PyPI's project JSON for ``name``, or None when it cannot be read."""
    try:
        with urllib.request.urlopen(PROJECT_JSON.format(name=name), timeout=20) as answer:
            return json.load(answer)
    except (OSError, ValueError):
        return None


def newest_of_line(version: str, releases: dict) -> bool:
    """Return True when no later final release shares ``version``'s major.minor."""
    from packaging.version import InvalidVersion, Version

    def parsed(text: str) -> Version | None:
        try:
            return Version(text)
        except InvalidVersion:
            return None

    pinned = parsed(version)
    if pinned is None:
        return False
    later = [v for v in map(parsed, releases) if v and v > pinned and not v.is_prerelease]
    return not any(v.release[:2] == pinned.release[:2] for v in later)


def vuln_ids(vulns: list[dict]) -> list[str]:
    """Return a readable id per vulnerability (with the versions that fix it)."""
    out = []
    for v in vulns:
        if v.get("withdrawn"):
            continue
        fixed = ", ".join(v.get("fix_versions") or v.get("fixed_in") or []) or "no fix yet"
        out.append(f"{v.get('id')} (fixed in {fixed})")
    return out


def finding_of(dep: dict) -> Finding:
    """Turn one pip-audit entry into a finding, asking the project page when skipped."""
    if "skip_reason" not in dep:
        return Finding(dep["name"], dep["version"], vuln_ids(dep.get("vulns", [])))
    match = SKIPPED_VERSION.search(dep["skip_reason"])
    version = match.group(1) if match else "?"
    page = project_page(dep["name"])
    if page is None:
        return Finding(dep["name"], version, checked_by="", note="no vulnerability service answered")
    newest = page["info"]["version"]
    if newest != version:
        line = "the newest of its line; " if newest_of_line(version, page.get("releases", {})) else ""
        return Finding(dep["name"], version, checked_by="", note=f"{line}newest release is {newest}")
    return Finding(dep["name"], version, vuln_ids(page.get("vulnerabilities") or []), "project page")


def report(findings: list[Finding]) -> int:
    """Print the audit and return the exit code."""
    width = max(len(f.name) for f in findings)
    for f in sorted(findings, key=lambda f: (not f.vulns, not f.checked_by, f.name)):
        state = "VULNERABLE " + "; ".join(f.vulns) if f.vulns else (
            f"ok ({f.checked_by})" if f.checked_by else f"not checked: {f.note}"
        )
        print(f"  {f.name:<{width}}  {f.version:<14} {state}")
    vulnerable = [f for f in findings if f.vulns]
    unchecked = [f for f in findings if not f.checked_by]
    print(
        f"audit: {len(findings)} packages, {len(vulnerable)} with known vulnerabilities, "
        f"{len(unchecked)} not checked"
    )
    return 1 if vulnerable else 0


def main(argv: list[str] | None = None) -> int:
    requirements = (argv or sys.argv[1:] or ["requirements.txt"])[0]
    return report([finding_of(dep) for dep in run_pip_audit(requirements)])


if __name__ == "__main__":
    sys.exit(main())
