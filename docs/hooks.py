"""MkDocs hook: adds the generated reference pages to the build (see backforge._docgen).

They are built from the code each time (the spec model, the CLI parser), never
committed as Markdown, so they cannot go stale.
"""

import warnings

from mkdocs.structure.files import File

from backforge._docgen import pages


# pydbml (the DBML importer, run for the spec reference's example) still calls pyparsing's
# camelCase API; the deprecation notices are not ours and would bury the build log.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pydbml\..*")


def on_files(files, config):
    for uri, text in pages().items():
        files.append(File.generated(config, uri, content=text))
    return files
