#!/usr/bin/python3
# The import dialog by real keys: Ctrl+I, Ctrl+O for the file chooser, the
# path typed after Ctrl+L, Enter; the preview (the dialog titled after the
# file), Enter imports; Save Bad Rows… (Alt+S) writes the bad row through its
# file chooser (the path typed); Enter on Done; the rows are in the database
# (sqlite3), the contact already there is not doubled (查重: skipped); then
# Ctrl+Z while the window's Undo Import toast shows takes the import back.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys

from crmtest import (SKIP, enter_path, focus_window, keys, log, new_work_dir,
                     open_app, query, stop_app, visible, wait_closed, wait_exit, wait_for,
                     xdotool, xdotool_ready)

CSV = ("\ufeff姓名,手机,公司,备注\r\n"
       "Zhang San,13812345678,Xiaohe,first\r\n"
       "李四,13912345678,小禾科技,second\r\n"
       "王五,13700000001,,third\r\n"
       "赵六,12345,,bad mobile\r\n")

LIVE = "SELECT name, mobile FROM contacts WHERE deleted = 0 ORDER BY mobile"


def main():
    if not xdotool_ready():
        return SKIP

    work, data_dir, db_path = new_work_dir("xiaohe-crm-import-")
    path = os.path.join(work, "contacts.csv")
    bad_path = os.path.join(work, "bad-rows.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(CSV)

    app, window = open_app(data_dir)
    try:
        # a contact already there, by the same mobile as the file's first row
        keys("ctrl+n")
        xdotool("type", "--delay", "15", "Zhang San")
        keys("alt+m")                       # the mnemonic of Mobile
        xdotool("type", "--delay", "15", "13812345678")
        keys("ctrl+Return", "Escape")
        wait_for("Zhang San's mobile", lambda: query(db_path, LIVE) == [("Zhang San",
                                                                          "13812345678")])

        keys("ctrl+i")
        dialog = focus_window("Import Contacts")
        keys("ctrl+o")
        focus_window("Choose a File to Import")
        keys("ctrl+l")
        enter_path(path)
        wait_closed("Choose a File to Import")
        # the preview: the dialog is titled after the file; Import has the focus
        xdotool("windowfocus", "--sync", dialog)
        wait_for("the preview", lambda: visible("Import “contacts.csv”"))
        keys("Return")
        wait_for("the summary", lambda: visible("Import Finished"))
        xdotool("windowfocus", "--sync", dialog)
        keys("alt+s")                       # Save Bad Rows…
        focus_window("Save Bad Rows")
        enter_path(bad_path, select_all=True)
        wait_closed("Save Bad Rows")
        wait_for("the bad rows' file", lambda: os.path.exists(bad_path))
        with open(bad_path, encoding="utf-8-sig", newline="") as f:
            saved = f.read().split("\r\n")
        log("bad rows:", saved)
        assert saved[0] == "姓名,手机,公司,备注,Problem", saved
        assert saved[1].startswith('赵六,12345,,bad mobile,"Mobile: '), saved
        assert saved[2:] == [""], saved
        xdotool("windowfocus", "--sync", dialog)
        keys("Return")                      # Done
        wait_closed("Import Finished")

        rows = wait_for("the imported rows", lambda: len(query(db_path, LIVE)) == 3
                        and query(db_path, LIVE))
        log("imported:", rows)
        assert rows == [("王五", "13700000001"), ("Zhang San", "13812345678"),
                        ("李四", "13912345678")], rows
        notes = query(db_path, "SELECT notes FROM contacts WHERE mobile = '13912345678'")
        assert notes == [("second",)], notes

        # the toast's Undo by Ctrl+Z on the main window
        xdotool("windowfocus", "--sync", window)
        keys("ctrl+z")
        rows = wait_for("the import undone", lambda: query(db_path, LIVE) == [
            ("Zhang San", "13812345678")] and query(db_path, LIVE))
        log("after Ctrl+Z:", rows)
        keys("ctrl+q")
        wait_exit(app)
    finally:
        stop_app(app)
    shutil.rmtree(work)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
