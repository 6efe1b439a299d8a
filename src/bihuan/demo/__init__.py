"""`bihuan demo`: a fresh database for 华锐精密 / Huarui Precision with half a year of history."""
