"""The run-folder format, both ways: where outputs may go and how they are claimed
(``claim``), the marker that says a folder is corridor's (``markers``), writing a run
(``write``) and reading run, ensemble and sweep folders back (``read``).

Submodules are imported on demand (``from corridor.runs.read import read_summary``) so that
importing the package stays cheap for the CLI.
"""
