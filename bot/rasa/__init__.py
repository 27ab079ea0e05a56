"""Everything that knows Rasa: the server entry point and its patches, the action server,
the lock store, the guarded input channels, the NLU components, training the model, and
reading Rasa's tracker store.

The rest of `bot/` is plain Python over our own tables; a Rasa upgrade should touch this
package and `actions/` only. The measured faults of Rasa 3.6 that these modules work
around are written up, each with the test that catches it, in docs/rasa-traps.md.
"""
