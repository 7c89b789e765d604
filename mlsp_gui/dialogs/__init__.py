"""Small dialogs of the main window: new text, settings, about."""
