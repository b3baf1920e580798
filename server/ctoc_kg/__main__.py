"""``python -m ctoc_kg``: the same as the ``ctoc-kg`` command."""

from ctoc_kg.cli import main

raise SystemExit(main())
