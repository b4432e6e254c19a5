"""``python -m jipsa`` runs the command line."""

from jipsa.cli.main import main

main()
