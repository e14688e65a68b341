#!/usr/bin/python3
# End to end: the certification filled in with real keys, the license dialog
# opened by Ctrl+O, the file chosen in its file chooser by typing the path
# (Ctrl+L), then submitted: the question that comes first (submitting locks the
# form) is cancelled once, which leaves a draft, then answered; the database
# holds the submitted certification and the blob with the file's SHA-256.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import os
import shutil
import struct
import sys
import zlib

from crmtest import (SKIP, enter_path, focus_window, log, new_work_dir, open_app, query, stop_app, wait_closed,
                     wait_for, xdotool, xdotool_ready)


SUBMIT = r"Submit for Review\?"   # a pattern: the ? escaped


def png(width, height):
    """A real PNG, made here: a grey picture with a darker band."""
    rows = b"".join(b"\x00" + bytes([200 if y % 40 > 10 else 90] * (width * 3))
                    for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def license_shown():
    from dogtail.config import config
    config.checkForA11y = False
    from dogtail.tree import root

    def shown():
        try:
            app = root.application("xiaohe-crm")
            return any("license.png · PNG" in (n.name or "") for n in
                       app.findChildren(lambda x: x.roleName == "label", recursive=True))
        except Exception:
            return False
    return wait_for("the license in the form", shown)


def main():
    if not xdotool_ready():
        return SKIP

    work, data_dir, db_path = new_work_dir("xiaohe-crm-cert-")
    license_path = os.path.join(work, "license.png")
    content = png(320, 200)
    with open(license_path, "wb") as f:
        f.write(content)
    sha = hashlib.sha256(content).hexdigest()

    app, window = open_app(data_dir)
    try:
        xdotool("key", "ctrl+3")
        for key, text in (("alt+c", "Zhengzhou Xiaohe Information Technology"),
                          ("alt+u", "91110000 60003 7341l"),
                          ("alt+l", "Zhang San"),
                          ("alt+a", "Jinshui District, Zhengzhou")):
            xdotool("key", key)
            xdotool("type", "--delay", "15", text)

        # the license dialog (Ctrl+O), its file chooser (Ctrl+O again), the
        # path typed after Ctrl+L, Enter; then "Use This License" (Alt+U)
        xdotool("key", "ctrl+o")
        dialog = focus_window("Business License")
        xdotool("key", "ctrl+o")
        focus_window("Choose the Business License")
        xdotool("key", "ctrl+l")
        enter_path(license_path)
        wait_closed("Choose the Business License")
        license_shown()
        xdotool("windowfocus", "--sync", dialog)
        xdotool("key", "alt+u")
        wait_closed("Business License")

        xdotool("windowfocus", "--sync", window)
        xdotool("key", "alt+b")
        focus_window(SUBMIT)
        xdotool("key", "Escape")           # Cancel, the default: still a draft
        wait_closed(SUBMIT)
        drafts = wait_for("the saved draft", lambda: query(
            db_path, "SELECT status, company_name FROM certification"))
        assert drafts == [("draft", "Zhengzhou Xiaohe Information Technology")], drafts

        xdotool("windowfocus", "--sync", window)
        xdotool("key", "alt+b")
        focus_window(SUBMIT)
        xdotool("key", "alt+s")            # Submit and Lock
        wait_closed(SUBMIT)
        rows = wait_for("the submitted certification", lambda: query(
            db_path, "SELECT status, company_name, uscc, legal_representative, address,"
                     " license_sha256, license_mime_type, license_name, license_size"
                     " FROM certification WHERE status = 'submitted'"))
        log("certification", rows)
        xdotool("key", "ctrl+q")
        wait_for("the app to quit", lambda: app.poll() is not None)
        assert app.returncode == 0, app.returncode
    finally:
        stop_app(app)

    assert rows == [("submitted", "Zhengzhou Xiaohe Information Technology",
                     "91110000600037341L", "Zhang San", "Jinshui District, Zhengzhou",
                     sha, "image/png", "license.png", len(content))], rows
    blob = query(db_path, "SELECT data, size, mime_type FROM blobs WHERE sha256 = '%s'" % sha)
    assert len(blob) == 1 and hashlib.sha256(blob[0][0]).hexdigest() == sha, "blob"
    assert blob[0][1] == len(content) and blob[0][2] == "image/png"
    shutil.rmtree(work)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
