"""The pages of questions/: browsing (browse.py), related questions, tags and robots.txt
(discovery.py), writing (posting.py), editing and history (editing.py), voting
(voting.py), search (search.py), and a member's posts and reputation (users.py)."""
