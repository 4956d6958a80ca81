"""The window's actions and menus, with standard shortcuts and menu roles."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QStyle

Key = QKeySequence.StandardKey
MenuRole = QAction.MenuRole


@dataclass
class MainActions:
    """Every menu action, built once; the window connects them."""

    new_case: QAction
    import_files: QAction
    import_folder: QAction
    paste: QAction
    export: QAction
    backup: QAction
    restore: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    delete: QAction
    preferences: QAction
    about: QAction
    about_qt: QAction
    watch: QAction
    accept_suggestion: QAction
    refresh: QAction


def _action(
    window: QMainWindow,
    text: str,
    shortcut: QKeySequence | Key | str | None = None,
    role: QAction.MenuRole = MenuRole.NoRole,
    icon: QIcon | None = None,
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setMenuRole(role)
    if icon is not None:
        action.setIcon(icon)
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


def build_actions(window: QMainWindow, stack: QUndoStack) -> MainActions:
    """Creates the actions; undo and redo follow the stack's texts and availability."""
    style = window.style()
    pix = QStyle.StandardPixmap
    undo = stack.createUndoAction(window, QCoreApplication.translate("MainWindow", "&Undo"))
    undo.setShortcut(QKeySequence(Key.Undo))
    redo = stack.createRedoAction(window, QCoreApplication.translate("MainWindow", "&Redo"))
    redo.setShortcut(QKeySequence(Key.Redo))
    for action in (undo, redo):
        window.addAction(action)
    return MainActions(
        new_case=_action(window, QCoreApplication.translate("MainWindow", "&New Case…"), Key.New),
        import_files=_action(
            window,
            QCoreApplication.translate("MainWindow", "&Import Files…"),
            Key.Open,
            icon=style.standardIcon(pix.SP_DialogOpenButton),
        ),
        import_folder=_action(
            window, QCoreApplication.translate("MainWindow", "Import &Folder…"), "Ctrl+Shift+O"
        ),
        paste=_action(window, QCoreApplication.translate("MainWindow", "&Paste Files"), Key.Paste),
        export=_action(
            window,
            QCoreApplication.translate("MainWindow", "&Export Packet…"),
            "Ctrl+E",
            icon=style.standardIcon(pix.SP_DialogSaveButton),
        ),
        backup=_action(window, QCoreApplication.translate("MainWindow", "&Back Up…")),
        restore=_action(window, QCoreApplication.translate("MainWindow", "&Restore…")),
        quit=_action(
            window, QCoreApplication.translate("MainWindow", "&Quit"), Key.Quit, MenuRole.QuitRole
        ),
        undo=undo,
        redo=redo,
        delete=_action(window, QCoreApplication.translate("MainWindow", "&Delete"), Key.Delete),
        preferences=_action(
            window,
            QCoreApplication.translate("MainWindow", "&Preferences…"),
            Key.Preferences,
            MenuRole.PreferencesRole,
        ),
        about=_action(
            window,
            QCoreApplication.translate("MainWindow", "&About Yongju"),
            None,
            MenuRole.AboutRole,
        ),
        about_qt=_action(
            window,
            QCoreApplication.translate("MainWindow", "About &Qt"),
            None,
            MenuRole.AboutQtRole,
        ),
        watch=_action(
            window, QCoreApplication.translate("MainWindow", "&Watched Folder…"), "Ctrl+Shift+W"
        ),
        accept_suggestion=_action(
            window,
            QCoreApplication.translate("MainWindow", "File into &Suggested Requirement"),
            "Ctrl+Return",
        ),
        refresh=_action(window, QCoreApplication.translate("MainWindow", "&Refresh"), "F5"),
    )


def build_menus(window: QMainWindow, actions: MainActions) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&File"))
    file_menu.addAction(actions.new_case)
    file_menu.addSeparator()
    file_menu.addActions([actions.import_files, actions.import_folder, actions.paste])
    file_menu.addAction(actions.watch)
    file_menu.addSeparator()
    file_menu.addAction(actions.export)
    file_menu.addSeparator()
    file_menu.addActions([actions.backup, actions.restore])
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit = bar.addMenu(QCoreApplication.translate("MainWindow", "&Edit"))
    edit.addActions([actions.undo, actions.redo])
    edit.addSeparator()
    edit.addAction(actions.accept_suggestion)
    edit.addAction(actions.delete)
    edit.addSeparator()
    edit.addAction(actions.preferences)
    view = bar.addMenu(QCoreApplication.translate("MainWindow", "&View"))
    view.addAction(actions.refresh)
    help_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Help"))
    help_menu.addActions([actions.about, actions.about_qt])
