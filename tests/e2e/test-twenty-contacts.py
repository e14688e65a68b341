#!/usr/bin/python3
# End to end: twenty contacts entered without the mouse. Mnemonics jump
# between fields (Alt+M mobile, Alt+O notes), Return makes a new line in the
# notes, Shift+Ctrl+Enter saves from inside them and opens the next form.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys
import tempfile

from crmtest import SKIP, open_app, query, stop_app, wait_for, xdotool, xdotool_ready

N = 20


def rows(db_path):
    return query(db_path, "SELECT name, mobile, notes FROM contacts WHERE deleted = 0"
                 " ORDER BY name")


def main():
    if not xdotool_ready():
        return SKIP

    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-e2e-")
    db_path = os.path.join(data_dir, "xiaohe-crm.sqlite3")
    app, window = open_app(data_dir)
    try:
        xdotool("key", "ctrl+n")
        for i in range(1, N + 1):
            xdotool("type", "--delay", "15", "Customer %02d" % i)
            xdotool("key", "alt+m")
            xdotool("type", "--delay", "15", "1390000%04d" % i)
            xdotool("key", "alt+o")
            xdotool("type", "--delay", "15", "met at fair")
            xdotool("key", "Return")
            xdotool("type", "--delay", "15", "call back %d" % i)
            xdotool("key", "shift+ctrl+Return")
        try:
            wait_for("%d contacts" % N, lambda: len(rows(db_path)) == N, timeout=30)
        except AssertionError:
            print("# saved so far:", rows(db_path))
            raise
        xdotool("key", "Escape", "ctrl+q")
        wait_for("the app to quit", lambda: app.poll() is not None)
        assert app.returncode == 0, app.returncode
    finally:
        stop_app(app)

    result = rows(db_path)
    expected = [("Customer %02d" % i, "1390000%04d" % i, "met at fair\ncall back %d" % i)
                for i in range(1, N + 1)]
    assert result == expected, result
    shutil.rmtree(data_dir)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
