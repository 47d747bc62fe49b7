"""A table for the pages: rows keyed by stable field names ("area", "level", "gap"), and each
column's header in the reader's language kept beside them, put on only when it is shown.

Code that reads a table back (tests, exports) uses the field names, whatever the language;
``st.dataframe(table)`` shows the headers: Streamlit turns any object with a ``to_pandas()``
method into its dataframe, and ``to_pandas`` is where the headers replace the field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Table:
    rows: list[dict]
    labels: Mapping[str, str]  # field name → column header, in the order the columns are shown

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, 1):
            if row.keys() != self.labels.keys():
                raise ValueError(f"table row {number}: fields {sorted(row)} are not the "
                                 f"columns {sorted(self.labels)}; give every row every column")
        headers = list(self.labels.values())
        if len(set(headers)) != len(headers):
            raise ValueError(f"table headers {headers}: two columns have one header; "
                             f"make the headers unique")

    def __len__(self) -> int:
        return len(self.rows)

    def to_pandas(self) -> pd.DataFrame:
        """The table as shown: the headers as column names, the columns in ``labels``' order.
        pandas is imported here, when a page shows the table: the command line and the
        workbooks use the rows and need not pay its 0.3 s import."""
        import pandas as pd  # noqa: PLC0415

        frame = pd.DataFrame(self.rows, columns=list(self.labels))
        return frame.rename(columns=dict(self.labels))

