"""The `clearsite` command line: run one role or all of them, and admin commands."""
