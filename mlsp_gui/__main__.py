import sys

from mlsp_gui.app import main

sys.exit(main())
