import sys

from rgsite.cli import main

sys.exit(main())
