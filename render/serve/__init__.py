"""`gongwen serve`: a local web page over a folder of plans, for staff who will not edit YAML.

`folder.py` is what the page does with the plans (list, check, save, render), with no web
framework in it; `app.py` the Starlette application over it; `pages.py` the PDF's pages as
pictures. Nothing here prints: the command in render/cli/serve.py starts the server.
"""
