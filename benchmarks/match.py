"""Time what `policy match` costs: one profile, a consultant's directory of profiles, the CLI run.

Run: python benchmarks/match.py [number of profiles, default 200]
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from estimate import best_of  # benchmarks/estimate.py, beside this script

from policycli.load import load_catalog
from policycli.match.eligibility import match_profile, next_question
from policycli.match.profile import Profile
from policycli.match.profile_file import load_profile, load_profiles

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "company.yaml"
PROFILES = ROOT / "examples" / "profiles"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    catalog = load_catalog()
    profile = load_profile(EXAMPLE, catalog)
    read = best_of(50, lambda: load_profile(EXAMPLE, catalog))
    one = best_of(50, lambda: match_profile(catalog, profile))
    ask = best_of(50, lambda: next_question(catalog, Profile()))
    with tempfile.TemporaryDirectory() as tmp:
        sources = [EXAMPLE, *sorted(PROFILES.glob("*.yaml"))]
        for i in range(count):
            shutil.copy(sources[i % len(sources)], Path(tmp) / f"client{i:04d}.yaml")
        many = best_of(3, lambda: [match_profile(catalog, p) for p in load_profiles(tmp, catalog)])
        cli = best_of(3, lambda: subprocess.run([sys.executable, "-m", "policycli", "match", "--profile", tmp],
                                                capture_output=True, check=True))
    single = best_of(5, lambda: subprocess.run([sys.executable, "-m", "policycli", "match", "--profile", str(EXAMPLE)],
                                               capture_output=True, check=True))
    print(f"read one profile: {read * 1000:.2f} ms")
    print(f"match one profile (20 policies, estimates included): {one * 1000:.1f} ms")
    print(f"choose the next question for an empty profile: {ask * 1000:.1f} ms")
    print(f"read and match {count} profiles: {many * 1000:.0f} ms ({many / count * 1000:.2f} ms each)")
    print(f"policy match --profile DIR with {count} profiles (whole process): {cli * 1000:.0f} ms")
    print(f"policy match --profile company.yaml (whole process): {single * 1000:.0f} ms")


if __name__ == "__main__":
    main()
