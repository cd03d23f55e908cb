"""Group discussions: posts, comments, reactions and hashtags.

`selectors` holds the one visibility rule for posts and comments; `services` the writes.
"""
