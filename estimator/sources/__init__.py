"""Stage 2, sources: readers of outside data that becomes input tables.

Where the readers of formats the project does not own go: cloud billing exports (FOCUS, AWS
CUR, Google Cloud and Azure cost exports -> a ``charges`` table), provider incident feeds
(Google Cloud status, Atlassian Statuspage, AWS Health, Azure Service Health -> ``outages``
rows) and a company's monitoring series (Prometheus, CloudWatch, CSV -> ``outages`` rows).
Each reader is written against the format's published specification, one module per format.

Takes files in those formats; gives DataFrames in the columns of an input table
(``estimator.inputs.schema``), each row keeping where it came from, and lists what it could
not map rather than dropping it.

May import the shared modules, ``estimator.inputs`` and ``pricing``; nothing later (the
engine never sees a source format, only the input tables the sources produce).
"""
