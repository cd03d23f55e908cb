"""Screenshot pages of a running Common Ground at desktop and phone widths.

Usage: python scripts/screenshots.py BASE_URL OUT_DIR [--login EMAIL PASSWORD] PATH [PATH ...]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--login", nargs=2, metavar=("EMAIL", "PASSWORD"))
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for label, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            if args.login:
                page.goto(f"{args.base}/accounts/login/")
                page.get_by_label("Email").fill(args.login[0])
                page.locator("#id_password").fill(args.login[1])
                page.locator("form button[type=submit]").last.click()
                page.wait_for_load_state()
            for path in args.paths:
                page.goto(f"{args.base}{path}")
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
                page.screenshot(path=out / f"{name}-{label}.png", full_page=args.full)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
