"""`python -m clearsite` is the same as `clearsite`."""

from clearsite.cli import main

raise SystemExit(main())
