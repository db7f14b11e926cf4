"""The user's mail client in the browser: views, templates and static files over mailcore."""
