# Russian dates Django formats differently (settings.FORMAT_MODULE_PATH); the others
# come from Django's own locale. A day of a month takes the month in the genitive:
# «29 февраля», not Django's «29 Февраль».
MONTH_DAY_FORMAT = "j E"
