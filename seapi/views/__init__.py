"""Stack Exchange's API 2.3, its read methods, for the clients written against it: each
method answers with Stack Exchange's wrapper object (`items`, `has_more`, the quota) or
its error object (method.py). Every method reads as an anonymous visitor: `key` and
`access_token` are accepted and give no more than anyone may see."""
