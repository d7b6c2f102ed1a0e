import sys

from render.cli.main import main

# click's main, run without standalone mode, returns the exit code instead of exiting.
sys.exit(main())
