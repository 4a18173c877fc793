"""The pages of questions/: browsing (browse.py), writing (posting.py), and editing,
history and deletion (editing.py)."""
