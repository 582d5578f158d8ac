from serai.cli import main

main()
