# Hmong (RPA): Django ships no locale and CLDR has Hmong dates only in Nyiakeng Puachue script.
# Until a Hmong reviewer settles the RPA month wording (drafted in our catalog: "Lub Peb Hlis", …),
# dates are numeric, month/day/year as Minnesota readers see them elsewhere.
DATE_FORMAT = "n/j/Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = "n/j/Y g:i A"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
TIME_FORMAT = "g:i A"
MONTH_DAY_FORMAT = "n/j"
YEAR_MONTH_FORMAT = "n/Y"
FIRST_DAY_OF_WEEK = 0
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
