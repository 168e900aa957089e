# Azerbaijani dates Django formats differently (settings.FORMAT_MODULE_PATH); the others
# come from Django's own locale. A day of a month is written in lower case, «27 dekabr»,
# not Django's «27 Dekabr»: "E" is the month as locale/az has it for dates.
MONTH_DAY_FORMAT = "j E"
