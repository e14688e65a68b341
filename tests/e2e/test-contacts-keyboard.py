#!/usr/bin/python3
# End to end: the real xiaohe-crm under the test session's X display, driven
# by real key events (xdotool) only. Creates two contacts (one with a Chinese
# name), deletes one, undoes the deletion, quits; then checks the database.
#
# Every wait is for a condition, with a deadline; none is a fixed sleep.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys
import tempfile

from crmtest import (SKIP, bind_keysyms, keys, log, open_app, query, stop_app, type_text, wait_for,
                     xdotool_ready)


def rows(db_path, where=""):
    return query(db_path, "SELECT name, company, mobile, email, deleted FROM contacts "
                 + where + " ORDER BY name")


def main():
    if not xdotool_ready():
        return SKIP

    chinese = "张三丰武当贸易"
    bind_keysyms(chinese)

    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-e2e-")
    db_path = os.path.join(data_dir, "xiaohe-crm.sqlite3")
    app, window = open_app(data_dir)
    try:
        log("window", window)

        # first contact: Chinese name, company, a mobile typed with spaces
        keys("ctrl+n")
        type_text("张三丰")
        keys("Tab")
        type_text("武当贸易")
        keys("Tab", "Tab")          # past the title, to the mobile
        type_text("138 1234 5678")
        keys("ctrl+Return")
        wait_for("the first contact", lambda: len(rows(db_path)) == 1)
        log("saved", rows(db_path))

        # second contact, with save-and-new, then Escape out of the next form
        keys("ctrl+n")
        type_text("Li Si")
        keys("alt+e")               # the mnemonic of E-mail
        type_text("lisi@example.com")
        keys("shift+ctrl+Return")
        wait_for("the second contact", lambda: len(rows(db_path)) == 2)
        keys("Escape")

        # delete the first in the list (Li Si sorts before 张), then undo
        keys("Home", "ctrl+Delete")
        wait_for("a deletion", lambda: len(rows(db_path, "WHERE deleted = 1")) == 1)
        deleted = rows(db_path, "WHERE deleted = 1")
        log("deleted", deleted)
        keys("ctrl+z")
        wait_for("the undo", lambda: len(rows(db_path, "WHERE deleted = 0")) == 2)

        keys("ctrl+q")
        code = wait_for("the app to quit", lambda: app.poll() is not None and (app.returncode,))
        assert code == (0,), "exit status %r" % (code,)
    finally:
        stop_app(app)

    result = rows(db_path)
    log("database", result)
    assert result == [
        ("Li Si", "", "", "lisi@example.com", 0),
        ("张三丰", "武当贸易", "13812345678", "", 0),
    ], result
    assert deleted[0][0] in ("Li Si", "张三丰")
    shutil.rmtree(data_dir)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
