"""The read side: each probe takes a loaded model and an input and returns a record from
`engine.records`. One module per probe."""
