"""The statistical NER tagger: a BiLSTM-CRF over characters, bigrams and lexicon features, and its BIO codec."""
