# Helpers shared by the end-to-end tests: waiting with a deadline, xdotool,
# reading the app's SQLite file.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sqlite3
import subprocess
import time

SKIP = 77


def log(*args):
    print("#", *args, flush=True)


def wait_for(what, condition, timeout=20.0):
    """Polls condition until it returns something true, or fails the test
    at the deadline. Never a fixed sleep."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def xdotool(*args):
    return subprocess.run(["xdotool", *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def find_window(title):
    return wait_for("the window “%s”" % title, lambda: subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^%s$" % title],
        capture_output=True, text=True).stdout.split())[0]


def query(db_path, sql):
    """Rows of sql from the app's database, read-only; [] until it exists."""
    if not os.path.exists(db_path):
        return []
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True, timeout=5)
    try:
        return con.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


TERMS_TITLE = {"en": "Terms of Service", "zh_CN": "服务条款"}


def accept_terms(language="en"):
    """On a first start the terms come first: tick "I have read and agree"
    and press Agree, by their mnemonics, as a person would."""
    window = find_window(TERMS_TITLE[language])
    xdotool("windowfocus", "--sync", window)
    xdotool("key", "--delay", "40", "alt+r", "alt+a")
    return window
