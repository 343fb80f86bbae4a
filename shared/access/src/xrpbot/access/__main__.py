"""`python -m xrpbot.access render [--check]`: the deployment files derived from the rights table."""

import sys

from .render import main

sys.exit(main())
