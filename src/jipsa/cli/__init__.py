"""The command-line edge: ``jipsa init``, ``devices``, ``say``, ``chat``, ``parse``, ``serve``, ``history``.
"""
