"""Data files of the network stage: the fallback CJK font."""
