#!/usr/bin/python3
# End to end: the terms of service gate on the real app, by keys.
# First start in Chinese shows the Chinese terms; declining quits and leaves
# no data; agreeing opens the window and records the acceptance; the next
# start shows no terms; a newer version of the terms asks again.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys

from crmtest import (SKIP, TERMS_TITLE, accept_terms, find_window, focus_window, log, new_work_dir,
                     query, start_app, visible, wait_exit, wait_for, xdotool, xdotool_ready)


APP = os.environ.get("XIAOHE_CRM", "xiaohe-crm")


def start(data_dir, **extra):
    env = dict(os.environ, LANGUAGE="zh_CN", LC_ALL="C.UTF-8", **extra)
    return start_app([APP, "--data-dir", data_dir], env=env)


def terms_text_shown():
    from dogtail.config import config
    config.checkForA11y = False
    from dogtail.tree import root

    def text():
        app = root.application("xiaohe-crm")
        for n in app.findChildren(lambda x: x.roleName == "text", recursive=True):
            t = n.queryText()
            content = t.getText(0, t.characterCount)
            if content:
                return content
        return None
    return wait_for("the terms' text", lambda: _guard(text))


def _guard(f):
    try:
        return f()
    except Exception:
        return None


def main():
    if not xdotool_ready():
        return SKIP

    parent, data_dir, db_path = new_work_dir("xiaohe-crm-terms-")
    apps = []
    try:
        # 1. first start, Chinese locale: the Chinese terms; decline
        app = start(data_dir)
        apps.append(app)
        window = find_window(TERMS_TITLE["zh_CN"])
        try:
            content = terms_text_shown()
            assert content.startswith("欢迎您使用小禾CRM的服务"), content[:40]
        except ImportError:
            log("python3-dogtail missing: the text is not read back")
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "alt+d")
        wait_exit(app)
        assert not os.path.exists(data_dir), os.listdir(data_dir)
        log("declined: nothing left in", parent, os.listdir(parent))

        # 2. again: agree; the main window opens; the acceptance is recorded
        app = start(data_dir)
        apps.append(app)
        accept_terms("zh_CN")
        main_window = focus_window("小禾CRM")
        xdotool("key", "ctrl+q")
        wait_exit(app)
        rows = query(db_path, "SELECT version, language, accepted_at FROM terms_acceptance")
        log("accepted", rows)
        assert len(rows) == 1 and rows[0][1] == "zh_CN" and rows[0][2].endswith("Z"), rows

        # 3. the next start goes straight to the window
        app = start(data_dir)
        apps.append(app)
        main_window = find_window("小禾CRM")
        assert not visible(TERMS_TITLE["zh_CN"]), "the terms were shown again"
        xdotool("windowfocus", "--sync", main_window)
        xdotool("key", "ctrl+q")
        wait_exit(app)

        # 4. a newer version of the terms asks again
        app = start(data_dir, XIAOHE_CRM_TERMS_VERSION="2099.1")
        apps.append(app)
        accept_terms("zh_CN")
        main_window = focus_window("小禾CRM")
        xdotool("key", "ctrl+q")
        wait_exit(app)
        versions = [r[0] for r in query(db_path, "SELECT version FROM terms_acceptance"
                                                 " ORDER BY rowid")]
        assert versions[1:] == ["2099.1"] and versions[0] != "2099.1", versions
    finally:
        for app in apps:
            if app.poll() is None:
                app.kill()
                app.wait()
        shutil.rmtree(parent, ignore_errors=True)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
