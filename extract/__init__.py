"""zhenggai: turn Chinese rectification-progress bulletins into tables.

The pipeline, one module per stage::

    readers/  -> document.SourceDocument   (one reader per format, with provenance)
    normalize -> normalize.NormalizedText   (width, spaces, page furniture, broken lines)
    segment   -> segment.Node tree          (一、 / （一） / 1. / (1) / 一是)
    fields    -> records.DocumentFields     (unit, dates, declared counts)
    items     -> records.Item / Measure     (problems, statuses, deadlines)
    checks    -> records.Check              (consistency audit)
    writers/  -> csv, jsonl, xlsx, sqlite, html

``extract.pipeline.parse_file`` runs one file end to end; ``extract.batch`` runs many.
"""

__version__ = "0.1.0"
