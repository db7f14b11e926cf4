"""The panel's overview: figures and what needs an administrator, like mailcow's dashboard."""
