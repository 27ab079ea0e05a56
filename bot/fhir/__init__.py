"""FHIR R4: the intake's questions as a Questionnaire, and one intake as a Bundle (issue: interoperability)."""
