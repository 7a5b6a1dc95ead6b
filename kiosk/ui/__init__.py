"""The kiosk's Qt widgets (PySide6). Build the window with `kiosk.ui.app.build(config, store)`."""
