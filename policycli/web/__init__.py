"""web: `policy serve`, the same answers as web pages and a JSON API, over the same core.

Starlette, Jinja2 and uvicorn are imported only here (the `web` extra), never on the command
line's other paths. The app keeps no state between requests besides the loaded dataset.
"""
