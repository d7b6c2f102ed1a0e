from render.cli.main import main

main()
