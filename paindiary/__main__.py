"""Allow ``python -m paindiary``."""

from paindiary.cli import main

main()
