#!/usr/bin/python3
# End to end: deals by keyboard only, in the real xiaohe-crm under the test
# session's X display (xdotool key events). A contact is created, then a deal
# for it, its customer chosen by typing part of the company name; the deal is
# moved through the stages with Ctrl+Right and marked won with Shift+Ctrl+W.
# A second deal without a customer stays open. The database and the header
# figures (read over AT-SPI, as a screen reader would) are checked, and the
# second deal is dragged with the mouse to the next column. Then,
# from the contact's page, a new deal for it (Alt+L), in the editor over
# Contacts: once saved, the user is still in Contacts, on the same contact,
# the focus where it was (read over AT-SPI), and Ctrl+2 finds the new deal
# focused on the board; deleting the contact asks what
# becomes of its deals, and keeping them leaves them without a customer. Last,
# the list: a stage key and Enter act on the same, focused, deal.
#
# Every wait is for a condition, with a deadline; none is a fixed sleep.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys
import tempfile

from crmtest import (SKIP, accessible_extents, accessible_names, bind_keysyms, drag, entry_text,
                     focus_window, keys, log, open_app, query, stop_app, tree_node, type_text,
                     wait_closed, wait_for, xdotool, xdotool_ready)


def deals(db_path):
    return query(db_path, "SELECT title, contact_id, amount_fen, stage, probability,"
                 " won_at IS NOT NULL, lost_reason FROM deals WHERE deleted = 0 ORDER BY title")


def stage_of(db_path, title):
    rows = query(db_path, "SELECT stage FROM deals WHERE title = '%s'" % title)
    return rows[0][0] if rows else None


def focused():
    """The app's focused node over AT-SPI, or None: its role and name, and
    those of its first named ancestor (a list item is named by its list:
    the contacts, or a board column, "Lead: 2 deals · ¥…")."""
    node = tree_node(lambda x: x.focused)
    if node is None:
        return None
    try:
        outer = node.parent
        while outer is not None and not outer.name:
            outer = outer.parent
        return (node.roleName, node.name,
                (outer.roleName, outer.name) if outer is not None else None)
    except Exception:
        return None


def main():
    if not xdotool_ready():
        return SKIP

    bind_keysyms("王小明明日科技大力")

    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-e2e-deals-")
    db_path = os.path.join(data_dir, "xiaohe-crm.sqlite3")
    app, window = open_app(data_dir)
    try:

        # two contacts with the same surname: the picker must choose by company
        keys("ctrl+1", "ctrl+n")
        type_text("王大力")
        keys("ctrl+Return")
        wait_for("the first contact", lambda: len(query(db_path, "SELECT id FROM contacts")) == 1)
        keys("ctrl+n")
        type_text("王小明")
        keys("Tab")
        type_text("明日科技")
        keys("ctrl+Return")
        wait_for("the second contact", lambda: len(query(db_path, "SELECT id FROM contacts")) == 2)
        contact_id = query(db_path, "SELECT id FROM contacts WHERE name = '王小明'")[0][0]

        # a deal for 王小明, typed into the deal editor
        keys("ctrl+2", "ctrl+n")
        focus_window("New Deal")
        type_text("ERP upgrade")
        keys("alt+c")
        type_text("明日")
        keys("Return")              # takes the first match, once it is found
        keys("alt+a")
        type_text("1.2万")
        keys("ctrl+Return")
        wait_for("the deal", lambda: len(deals(db_path)) == 1)
        row = deals(db_path)[0]
        log("saved", row)
        assert row == ("ERP upgrade", contact_id, 1200000, "lead", 10, 0, ""), row

        # through the stages by keys: the focus follows the deal
        wait_closed("New Deal")
        xdotool("windowfocus", "--sync", window)
        for stage in ("qualified", "proposal", "negotiation"):
            keys("ctrl+Right")
            wait_for("the deal in " + stage, lambda s=stage: stage_of(db_path, "ERP upgrade") == s)
        keys("shift+ctrl+w")
        wait_for("the deal won", lambda: stage_of(db_path, "ERP upgrade") == "won")

        # a second deal, no customer, with the amount as an accountant types it
        keys("ctrl+n")
        focus_window("New Deal")
        type_text("Training")
        keys("alt+a")
        type_text("¥3,000.50")
        keys("ctrl+Return")
        wait_for("the second deal", lambda: len(deals(db_path)) == 2)

        result = deals(db_path)
        log("database", result)
        assert result == [
            ("ERP upgrade", contact_id, 1200000, "won", 100, 1, ""),
            ("Training", None, 300050, "lead", 10, 0, ""),
        ], result

        # the header: open pipeline 3,000.50; forecast 10 % of it; won 12,000
        expected = ["Open pipeline: ¥3,000.50", "Weighted forecast: ¥300.05",
                    "Won this month: ¥12,000.00",
                    # and each column's count and total
                    "Lead: 1 deal · ¥3,000.50", "Negotiation: 0 deals · ¥0.00",
                    "Won: 1 deal · ¥12,000.00"]
        names = accessible_names()
        if names is None:
            log("python3-dogtail missing: the header is not read back")
        else:
            names = wait_for("the header figures", lambda: (
                lambda n: n if all(e in n for e in expected) else None)(accessible_names()))
            log("header", [n for n in names if ":" in n and "¥" in n])

            # the mouse: the Training card dragged onto the Qualified column
            card = wait_for("the Training card on the screen",
                            lambda: accessible_extents("Training, ¥3,000.50"))
            column = wait_for("the Qualified column on the screen",
                              lambda: accessible_extents("Qualified: 0 deals · ¥0.00"))
            log("drag", card, "to", column)
            drag((card[0] + card[2] // 2, card[1] + card[3] // 2),
                 (column[0] + column[2] // 2, column[1] + column[3] // 2))
            wait_for("the deal dragged to qualified",
                     lambda: stage_of(db_path, "Training") == "qualified")
            xdotool("windowfocus", "--sync", window)

        # from the contact: its deals, and a new deal for it, over Contacts
        keys("ctrl+1", "ctrl+f")
        type_text("小明")
        keys("Return")
        before = None
        if names is not None:
            wait_for("the contact in the form", lambda: entry_text("Name") == "王小明")
            before = wait_for("the focus in Contacts", focused)
            log("focus before Alt+L", before)
        keys("alt+l")               # New Deal for This Contact
        focus_window("New Deal")
        type_text("Support")
        keys("ctrl+Return")
        wait_for("the contact's second deal", lambda: query(
            db_path, "SELECT contact_id FROM deals WHERE title = 'Support'") == [(contact_id,)])
        wait_closed("New Deal")
        xdotool("windowfocus", "--sync", window)
        if names is not None:
            # still in Contacts: the same contact in the form, the focus back
            # where it was (not on the board's new card)
            wait_for("the focus back in Contacts", lambda: focused() == before)
            assert entry_text("Name") == "王小明", entry_text("Name")
            # and on the board, the new deal is the one with the focus
            keys("ctrl+2")
            wait_for("the new deal focused on the board",
                     lambda: (focused() or ("", ""))[1] == "Support, 王小明, ¥0.00")

        # deleting the contact asks what becomes of its deals: keep them
        keys("ctrl+1", "ctrl+f", "ctrl+a")   # the search still holds 小明: replace it
        type_text("小明")
        keys("Return", "ctrl+Delete")
        keys("alt+k")               # Keep the Deals
        wait_for("the contact deleted", lambda: query(
            db_path, "SELECT deleted FROM contacts WHERE id = '%s'" % contact_id) == [(1,)])
        kept = query(db_path, "SELECT title, contact_id, deleted FROM deals ORDER BY title")
        log("kept", kept)
        assert kept == [("ERP upgrade", None, 0), ("Support", None, 0), ("Training", None, 0)], kept

        # the list: sorted by update, newest first; the last row's deal, moved,
        # goes to the top, and the focus follows it there
        keys("ctrl+2", "ctrl+l")
        top = query(db_path, "SELECT id, title, stage FROM deals WHERE deleted = 0"
                    " ORDER BY updated_at ASC, local_id ASC LIMIT 1")[0]
        log("last in the list", top)
        keys("End")
        keys("ctrl+Left" if top[2] in ("won", "lost") else "ctrl+Right")
        wait_for("the top deal moved", lambda: query(
            db_path, "SELECT stage FROM deals WHERE id = '%s'" % top[0])[0][0] != top[2])
        keys("Return")
        focus_window("Edit Deal")
        keys("alt+a", "ctrl+a")
        type_text("777")
        keys("ctrl+Return")
        wait_for("the same deal edited", lambda: query(
            db_path, "SELECT amount_fen FROM deals WHERE id = '%s'" % top[0]) == [(77700,)])
        wait_closed("Edit Deal")
        xdotool("windowfocus", "--sync", window)

        keys("ctrl+q")
        code = wait_for("the app to quit", lambda: app.poll() is not None and (app.returncode,))
        assert code == (0,), "exit status %r" % (code,)
    finally:
        stop_app(app)

    shutil.rmtree(data_dir)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
